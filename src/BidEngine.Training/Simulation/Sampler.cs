namespace BidEngine.Training.Simulation;

/// <summary>Draws an index from fixed weights by binary search over their running sums.</summary>
internal sealed class Sampler
{
    private readonly double[] _cumulative;

    public Sampler(ReadOnlySpan<double> weights)
    {
        _cumulative = new double[weights.Length];
        var sum = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += weights[i];
            _cumulative[i] = sum;
        }
    }

    public int Count => _cumulative.Length;

    /// <summary>Zipf weights 1/rank^s: a few very popular items and a long tail.</summary>
    public static Sampler Zipf(int count, double s)
    {
        var weights = new double[count];
        for (var i = 0; i < count; i++)
        {
            weights[i] = 1.0 / Math.Pow(i + 1, s);
        }

        return new Sampler(weights);
    }

    public int Next(Random random)
    {
        var u = random.NextDouble() * _cumulative[^1];
        var index = Array.BinarySearch(_cumulative, u);
        return Math.Min(index < 0 ? ~index : index, _cumulative.Length - 1);
    }
}
