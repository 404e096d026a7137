namespace BidEngine.Training.Pacing;

/// <summary>The traffic and notice behaviour of a simulated day.</summary>
public sealed record DaySimulationOptions
{
    /// <summary>Average bid requests per second over the day.</summary>
    public double RequestsPerSecond { get; init; } = 100;

    /// <summary>True: the same rate all day; false: a diurnal curve, lowest at 03:00 UTC and 2.6× that at 15:00.</summary>
    public bool Steady { get; init; }

    public int Seed { get; init; } = 1;

    /// <summary>The ledger's reservation time to live; billing notices later than this are late spend.</summary>
    public TimeSpan ReservationTtl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Share of won impressions whose billing notice never comes (the reservation expires).</summary>
    public double NeverBilledShare { get; init; } = 0.05;

    /// <summary>Share of won impressions billed after 1 to 10 minutes (the rest within about a minute).</summary>
    public double SlowBilledShare { get; init; } = 0.10;

    /// <summary>Share of lost bids the exchange reports (released within seconds; the rest expire).</summary>
    public double ReportedLossShare { get; init; } = 0.6;

    /// <summary>How often the pacers are updated from the ledger, and the ledger swept.</summary>
    public TimeSpan PacerInterval { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan ExpireInterval { get; init; } = TimeSpan.FromSeconds(5);
}
