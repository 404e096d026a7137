namespace BidEngine.Core.Pacing;

/// <summary>Settings of the even-pacing controller.</summary>
public sealed class PacingOptions
{
    /// <summary>
    /// How much the newest interval's demand counts in the running estimate (exponential smoothing).
    /// Higher follows traffic changes faster but also the noise of few wins. Default 0.3: about three
    /// intervals to follow a step.
    /// </summary>
    public double Smoothing { get; init; } = 0.3;

    /// <summary>
    /// The lowest participation: a campaign that bids on nothing learns nothing about its demand.
    /// Default 0.001.
    /// </summary>
    public double MinProbability { get; init; } = 0.001;
}
