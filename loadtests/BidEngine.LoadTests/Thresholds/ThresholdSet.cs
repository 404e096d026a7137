namespace BidEngine.LoadTests.Thresholds;

/// <summary>Limits for one scenario; a null limit is not checked. Times in milliseconds.</summary>
public sealed record ThresholdSet
{
    public double? MaxP50Ms { get; init; }

    public double? MaxP99Ms { get; init; }

    public double? MaxP999Ms { get; init; }

    public double? MaxMaxMs { get; init; }

    /// <summary>Requests with no answer: transport errors plus timeouts.</summary>
    public long? MaxErrors { get; init; }

    /// <summary>Answers other than 200 and 204 (a 400 to a valid corpus request, any 5xx).</summary>
    public long? MaxUnexpectedStatus { get; init; }

    public long? Max5xx { get; init; }

    /// <summary>Answers after the request's tmax (or the default), timeouts included.</summary>
    public long? MaxLate { get; init; }

    public double? MaxLateRatio { get; init; }

    /// <summary>Share of requests sent that must get an answer (bid or no-bid, any status) within the client timeout.</summary>
    public double? MinAnsweredRatio { get; init; }

    /// <summary>Overload: in-time answers decided by the model or the heuristic, as a share of the capacity.</summary>
    public double? MinGoodputRatio { get; init; }

    public long? MinRequests { get; init; }

    public double? MinThroughputRps { get; init; }

    /// <summary>capacity scenario: the highest passing step must reach this rate.</summary>
    public double? MinCapacityRps { get; init; }
}
