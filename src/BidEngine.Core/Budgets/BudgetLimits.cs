namespace BidEngine.Core.Budgets;

/// <summary>
/// What a campaign may spend, in nanos of its currency (<see cref="Money"/>): over its life and per
/// day in its time zone. Null means no limit.
/// </summary>
public sealed record BudgetLimits(long? TotalNanos, long? DailyNanos, TimeZoneInfo TimeZone)
{
    public static BudgetLimits Unlimited { get; } = new(null, null, TimeZoneInfo.Utc);
}
