using BidEngine.LoadTests.Running;
using BidEngine.LoadTests.Thresholds;

namespace BidEngine.LoadTests.Scenarios;

/// <summary>All runs of one scenario, the checks against its thresholds, and the capacity when measured.</summary>
public sealed class ScenarioOutcome
{
    public required string Scenario { get; init; }

    public required string Target { get; init; }

    public List<RunResult> Runs { get; } = [];

    public List<ThresholdCheck> Checks { get; } = [];

    public double? CapacityRps { get; set; }

    /// <summary>--compare-floor: target ÷ floor for each pair of runs.</summary>
    public List<FloorRatio> FloorRatios { get; } = [];

    public bool Passed => Checks.TrueForAll(c => c.Passed);
}

public sealed record FloorRatio(string Run, double P50, double P99, double P999, double Throughput, double GeneratorCpuPerRequest);
