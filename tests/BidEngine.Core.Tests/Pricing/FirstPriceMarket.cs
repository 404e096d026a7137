namespace BidEngine.Core.Tests.Pricing;

/// <summary>
/// A simulated first-price market: the price to beat is the value times a log-normal ratio
/// r = exp(μ + σ·z), independent of the value, so a bid at factor s wins with probability
/// Φ((ln s − μ) / σ) and the best factor maximises (1 − s)·Φ((ln s − μ) / σ).
/// </summary>
internal sealed class FirstPriceMarket(double medianRatio, double sigma)
{
    private readonly double _mu = Math.Log(medianRatio);

    /// <summary>The factor of most expected surplus, found on a grid of 0.0001.</summary>
    public double OptimalFactor
    {
        get
        {
            var best = 0.0;
            var bestSurplus = -1.0;
            for (var s = 0.0001; s < 1; s += 0.0001)
            {
                var surplus = ExpectedSurplus(s);
                if (surplus > bestSurplus)
                {
                    bestSurplus = surplus;
                    best = s;
                }
            }

            return best;
        }
    }

    /// <summary>Expected surplus per unit of value of a bid at factor <paramref name="s"/>: (1 − s)·P(win | s).</summary>
    public double ExpectedSurplus(double s) => (1 - s) * WinProbability(s);

    public double WinProbability(double s) => NormalCdf((Math.Log(s) - _mu) / sigma);

    /// <summary>The competing ratio of one auction.</summary>
    public double NextRatio(Random random) => Math.Exp(_mu + (sigma * Gaussian(random)));

    public static double Gaussian(Random random)
    {
        // Box–Muller; 1 − NextDouble() keeps the logarithm's argument above 0.
        var u = 1 - random.NextDouble();
        var v = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    /// <summary>Φ from the Chebyshev fit of erfc in Numerical Recipes (fractional error below 1.2e-7).</summary>
    private static double NormalCdf(double x)
    {
        var z = Math.Abs(x) / Math.Sqrt(2);
        var t = 1 / (1 + (0.5 * z));
        var erfc = t * Math.Exp((-z * z) - 1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418
            + (t * (-0.18628806 + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587
            + (t * (-0.82215223 + (t * 0.17087277))))))))))))))))));
        return x >= 0 ? 1 - (0.5 * erfc) : 0.5 * erfc;
    }
}
