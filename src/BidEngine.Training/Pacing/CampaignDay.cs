namespace BidEngine.Training.Pacing;

/// <summary>
/// One campaign's simulated day, in nanos: spend per hour of the bid (UTC), the day's spend however
/// late its notices came, and the part of it billed after its reservation expired (late spend).
/// </summary>
public sealed record CampaignDay(SimulatedCampaign Campaign, long DailyNanos, long[] HourlySpentNanos, long SpentNanos, long LateSpentNanos, long Bids, long Wins, long Refused)
{
    /// <summary>Spend beyond the daily budget (negative: under).</summary>
    public long OverspendNanos => SpentNanos - DailyNanos;
}
