namespace BidEngine.Core.Pricing;

/// <summary>
/// The campaigns <see cref="LearnedShading"/> keeps state for, those of them bidding a learned
/// factor, and the mean of those factors (the fixed factor when none is learning).
/// </summary>
public readonly record struct ShadingSummary(int Tracked, int Learning, double MeanFactor);
