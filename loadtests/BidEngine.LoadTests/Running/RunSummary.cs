namespace BidEngine.LoadTests.Running;

/// <summary>The figures of one run, as printed and written to summary.json. Times in milliseconds.</summary>
public sealed record RunSummary
{
    public required string Label { get; init; }

    public required string Model { get; init; }

    public double TargetRateRps { get; init; }

    public int Connections { get; init; }

    public double DurationS { get; init; }

    public long Sent { get; init; }

    /// <summary>Answers with a status (any), within the timeout.</summary>
    public long Answered { get; init; }

    public double ThroughputRps { get; init; }

    public long Bids { get; init; }

    public long NoBids { get; init; }

    /// <summary>Answers with a status other than 200 and 204 (400s, 5xx, ...).</summary>
    public long UnexpectedStatus { get; init; }

    public long Status5xx { get; init; }

    public long TransportErrors { get; init; }

    public long Timeouts { get; init; }

    /// <summary>Transport errors plus timeouts: requests that got no answer.</summary>
    public long Errors => TransportErrors + Timeouts;

    /// <summary>Answers (and timeouts) that came after the request's tmax, or the default when it had none.</summary>
    public long Late { get; init; }

    public double LateRatio => Sent == 0 ? 0 : (double)Late / Sent;

    /// <summary>Share of the requests sent that got an answer (any status) within the client timeout.</summary>
    public double AnsweredRatio => Sent == 0 ? 0 : (double)Answered / Sent;

    /// <summary>
    /// Goodput: answers decided by the model or the heuristic (x-bidengine-path) that reached the
    /// client within their tmax, per second. Needs the bidder's debug path header; 0 without it.
    /// </summary>
    public double GoodputRps { get; init; }

    /// <summary>Overload runs: the capacity the offered rate is a multiple of.</summary>
    public double? CapacityRps { get; init; }

    /// <summary>Goodput as a share of <see cref="CapacityRps"/> (overload runs only).</summary>
    public double? GoodputRatio => CapacityRps is > 0 ? GoodputRps / CapacityRps : null;

    public double P50Ms { get; init; }

    public double P90Ms { get; init; }

    public double P99Ms { get; init; }

    public double P999Ms { get; init; }

    public double MaxMs { get; init; }

    public double MeanMs { get; init; }

    public double SendLagP99Ms { get; init; }

    public double SendLagMaxMs { get; init; }

    /// <summary>CPU seconds used by this process during the recorded window (the generator; plus the floor when it runs in-process).</summary>
    public double GeneratorCpuS { get; init; }

    /// <summary>Generator CPU as a share of one core over the recorded window.</summary>
    public double GeneratorCpuPercentOfCore { get; init; }

    public double GeneratorCpuMicrosPerRequest { get; init; }

    public double? ServerCpuPercentOfCore { get; init; }

    public SortedDictionary<int, long> StatusCounts { get; init; } = [];

    public SortedDictionary<string, long> PathCounts { get; init; } = [];

    /// <summary><see cref="PathCounts"/> of the answers that came within their tmax.</summary>
    public SortedDictionary<string, long> InTimePathCounts { get; init; } = [];

    public List<TmaxSummary> Tmax { get; init; } = [];
}

public sealed record TmaxSummary(string Tmax, long Count, long Late, double P99Ms, double MaxMs);
