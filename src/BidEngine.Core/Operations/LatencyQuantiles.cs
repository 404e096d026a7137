namespace BidEngine.Core.Operations;

/// <summary>Answer times of one interval, in milliseconds; NaN when nothing was answered in it.</summary>
public readonly record struct LatencyQuantiles(long Count, double P50Ms, double P99Ms, double P999Ms)
{
    /// <summary>An interval without answers.</summary>
    public static LatencyQuantiles None { get; } = new(0, double.NaN, double.NaN, double.NaN);
}
