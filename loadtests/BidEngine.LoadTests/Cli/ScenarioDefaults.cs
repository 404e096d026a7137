namespace BidEngine.LoadTests.Cli;

/// <summary>
/// Per-scenario defaults, all short: the machine has 2 cores shared with the bidder and other work.
/// </summary>
public static class ScenarioDefaults
{
    public static readonly string[] Names = ["smoke", "steady", "capacity", "overload", "mixed-tmax", "closed"];

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
