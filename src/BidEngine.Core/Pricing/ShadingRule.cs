namespace BidEngine.Core.Pricing;

/// <summary>The settings a campaign's refit needs, worked out once from <see cref="ShadingOptions"/>.</summary>
internal readonly struct ShadingRule
{
    public ShadingRule(ShadingOptions options)
    {
        Keep = (float)Math.Pow(2, -1.0 / options.HalfLifeObservations);
        MinObservations = options.MinObservations;
        MinFactor = options.MinFactor;
        MaxFactor = options.MaxFactor;
        Step = options.Step;
    }

    /// <summary>What each count keeps on every new outcome: 2^(−1 / half-life).</summary>
    public float Keep { get; }

    public double MinObservations { get; }

    public double MinFactor { get; }

    public double MaxFactor { get; }

    public double Step { get; }
}
