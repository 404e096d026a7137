namespace BidEngine.LoadTests.Cli;

/// <summary>Command-line options; defaults depend on the scenario (see <see cref="ScenarioDefaults"/>).</summary>
public sealed record LoadTestOptions
{
    /// <summary>http://127.0.0.1:PORT, "floor" (floor in a child process), "floor-inproc", or "self" (start the bidder).</summary>
    public string Target { get; init; } = "floor";

    public string Scenario { get; init; } = "smoke";

    public double? Rate { get; init; }

    public TimeSpan? Duration { get; init; }

    public TimeSpan? Warmup { get; init; }

    /// <summary>Open model: a linear ramp from 0 to the rate before the recorded part (counts as warm-up).</summary>
    public TimeSpan? RampUp { get; init; }

    public int? Connections { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    public int DefaultTmaxMs { get; init; } = 100;

    public int Seed { get; init; } = 42;

    public int Generated { get; init; } = 2000;

    public string Mix { get; init; } = "both";

    public double GzipRatio { get; init; } = 0.1;

    public string? Corpus { get; init; }

    public string? Thresholds { get; init; }

    public string? Out { get; init; }

    public string Client { get; init; } = "raw";

    public string Path { get; init; } = "/openrtb2/bid";

    // capacity
    public double? StartRate { get; init; }

    public double? StepRate { get; init; }

    public double? MaxRate { get; init; }

    public TimeSpan? StepDuration { get; init; }

    // overload
    public double? Capacity { get; init; }

    public bool CompareFloor { get; init; }

    public bool NoPlot { get; init; }

    /// <summary>Extra arguments for the bidder when --target self (repeatable --server-arg).</summary>
    public List<string> ServerArgs { get; init; } = [];

    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
