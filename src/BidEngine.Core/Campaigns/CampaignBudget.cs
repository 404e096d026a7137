using BidEngine.Core.Budgets;

namespace BidEngine.Core.Campaigns;

/// <summary>
/// What a campaign may spend in its currency (campaign file: <c>budget</c>): over its life and per
/// day in its time zone; null is no limit. Spend is the clearing price of billed impressions (CPM / 1000).
/// </summary>
public sealed record CampaignBudget(decimal? Total, decimal? Daily)
{
    public static CampaignBudget Unlimited { get; } = new(null, null);

    /// <summary>The limits as the ledger keeps them, in nanos (<see cref="Money"/>); no limits in UTC is the one shared <see cref="BudgetLimits.Unlimited"/>.</summary>
    public BudgetLimits ToLimits(TimeZoneInfo zone) =>
        Total is null && Daily is null && ReferenceEquals(zone, TimeZoneInfo.Utc)
            ? BudgetLimits.Unlimited
            : new(Total is { } t ? Money.FromUnits(t) : null, Daily is { } d ? Money.FromUnits(d) : null, zone);
}
