namespace BidEngine.Core.Campaigns;

/// <summary>
/// The campaign-file fields that decide when and how much a campaign spends, beside the fields
/// <see cref="Campaign"/> holds. Read by <see cref="CampaignRulesReader"/>; defaults are the
/// behaviour of a campaign that names none of them (no limits, even pacing, UTC, always on).
/// </summary>
public sealed record CampaignRules(
    string Currency,
    CampaignBudget Budget,
    PacingMode Pacing,
    FrequencyCap? FrequencyCap,
    Flight Flight,
    Dayparting? Dayparting,
    TimeZoneInfo TimeZone,
    CampaignTargeting Targeting)
{
    public static CampaignRules Default { get; } = new("USD", CampaignBudget.Unlimited, PacingMode.Even, null, Flight.Always, null, TimeZoneInfo.Utc, CampaignTargeting.Any);

    /// <summary>
    /// The campaign's own supply-chain policy (<c>supplyChain</c>), checked on top of the exchange's
    /// or the bidder's: a request whose chain it refuses gets no candidate of this campaign. Null: any.
    /// </summary>
    public Supply.SupplyChainPolicy? SupplyChain { get; init; }
}
