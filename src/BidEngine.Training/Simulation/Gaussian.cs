namespace BidEngine.Training.Simulation;

internal static class Gaussian
{
    /// <summary>A normal draw by Box–Muller (one of the pair; the simulator is not draw-bound).</summary>
    public static double Next(Random random, double sigma = 1.0)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return sigma * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
