namespace BidEngine.LoadTests.Corpus;

/// <summary>What the seeded generator varies, and how often.</summary>
public sealed record RequestGeneratorOptions
{
    public int Seed { get; init; } = 42;

    /// <summary>Share of bodies sent gzip-compressed with Content-Encoding: gzip.</summary>
    public double GzipRatio { get; init; } = 0.1;

    /// <summary>Share of requests without tmax (the bidder then uses its own default).</summary>
    public double NoTmaxRatio { get; init; } = 0.15;

    /// <summary>tmax values drawn from, in ms (real traffic sends 50-1000 and more).</summary>
    public IReadOnlyList<int> TmaxValues { get; init; } = [50, 80, 100, 120, 150, 200, 300, 500, 800, 1000];

    public double VideoRatio { get; init; } = 0.2;

    public double AppRatio { get; init; } = 0.4;
}
