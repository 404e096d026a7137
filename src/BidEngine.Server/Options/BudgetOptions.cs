namespace BidEngine.Server.Options;

/// <summary>Budgets, reservations, pacing and frequency caps. Bound from <c>BidEngine:Budgets</c>.</summary>
public sealed class BudgetOptions
{
    /// <summary>A bid's reservation is freed this long after the bid when no billing notice came (the bid lost, or its notice was lost).</summary>
    public int ReservationTtlSeconds { get; set; } = 300;

    /// <summary>After expiring, a reservation is remembered this long, so that a late billing notice still counts (once) as spend.</summary>
    public int LateNoticeWindowSeconds { get; set; } = 300;

    /// <summary>Reservations (outstanding and remembered) held at most; past it bids are refused rather than untracked. About 52 B each.</summary>
    public int MaxReservations { get; set; } = 2_097_152;

    /// <summary>Seconds between sweeps that free expired reservations.</summary>
    public int SweepSeconds { get; set; } = 5;

    /// <summary>Seconds between steps of the even-pacing controllers.</summary>
    public int PacingSeconds { get; set; } = 60;

    /// <summary>User × campaign entries of the frequency-cap table (24 B each, allocated at start, rounded up to a power of two).</summary>
    public int FrequencyCapCapacity { get; set; } = 1 << 20;

    /// <summary>
    /// Campaigns exported one series each (spend, reserved) at <c>/metrics</c>; with more campaigns
    /// loaded only totals are exported, so that 100,000 campaigns do not make 100,000 series.
    /// </summary>
    public int PerCampaignMetricsLimit { get; set; } = 50;

    public IEnumerable<string> Validate()
    {
        if (ReservationTtlSeconds is < 1 or > 86_400)
        {
            yield return "BidEngine:Budgets:ReservationTtlSeconds must be between 1 and 86400";
        }

        if (LateNoticeWindowSeconds is < 0 or > 86_400)
        {
            yield return "BidEngine:Budgets:LateNoticeWindowSeconds must be between 0 and 86400";
        }

        if (MaxReservations < 1)
        {
            yield return "BidEngine:Budgets:MaxReservations must be at least 1";
        }

        if (SweepSeconds is < 1 or > 3600)
        {
            yield return "BidEngine:Budgets:SweepSeconds must be between 1 and 3600";
        }

        if (PacingSeconds is < 1 or > 3600)
        {
            yield return "BidEngine:Budgets:PacingSeconds must be between 1 and 3600";
        }

        if (FrequencyCapCapacity is < 8 or > (1 << 28))
        {
            yield return "BidEngine:Budgets:FrequencyCapCapacity must be between 8 and 268435456";
        }

        if (PerCampaignMetricsLimit < 0)
        {
            yield return "BidEngine:Budgets:PerCampaignMetricsLimit must be 0 or more";
        }
    }
}
