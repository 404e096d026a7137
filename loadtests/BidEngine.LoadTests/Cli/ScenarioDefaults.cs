namespace BidEngine.LoadTests.Cli;

/// <summary>
/// Per-scenario defaults, all short: the machine has 2 cores shared with the bidder and other work.
/// The help text is written from these.
/// </summary>
public static class ScenarioDefaults
{
    public static readonly string[] Names = ["smoke", "steady", "capacity", "overload", "mixed-tmax", "closed"];

    /// <summary>The scenarios that send at --rate (capacity starts its steps there; overload multiplies --capacity).</summary>
    public static readonly string[] RateNames = ["smoke", "steady", "mixed-tmax"];

    /// <summary>The scenarios that warm up for --warmup (capacity and overload warm up each step for up to 1 s).</summary>
    public static readonly string[] WarmupNames = ["smoke", "steady", "mixed-tmax", "closed"];

    /// <summary>capacity: the first step's rate when neither --start-rate nor --rate is given.</summary>
    public const double CapacityStartRate = 500;

    /// <summary>capacity: the last step's rate when --max-rate is not given.</summary>
    public const double CapacityMaxRate = 20_000;

    public static double Rate(string scenario) => scenario switch
    {
        "smoke" => 50,
        "steady" => 500,
        "mixed-tmax" => 300,
        _ => 500,
    };

    public static TimeSpan Duration(string scenario) => scenario switch
    {
        "smoke" => TimeSpan.FromSeconds(3),
        "capacity" or "overload" => TimeSpan.FromSeconds(5),
        _ => TimeSpan.FromSeconds(10),
    };

    public static TimeSpan Warmup(string scenario) => scenario switch
    {
        "smoke" => TimeSpan.FromSeconds(0.5),
        _ => TimeSpan.FromSeconds(2),
    };

    public static int Connections(string scenario) => scenario switch
    {
        "smoke" => 4,
        "closed" => 16,
        _ => 32,
    };
}
