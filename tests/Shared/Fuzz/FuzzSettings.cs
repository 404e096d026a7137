namespace BidEngine.Tests.Shared.Fuzz;

/// <summary>
/// How long a fuzz run is and where it starts: a short default in the suite, more by hand with
/// <c>BIDENGINE_FUZZ_ITERATIONS</c>, one failing case replayed with <c>BIDENGINE_FUZZ_SEED</c>
/// (the CsCheck seed string a failure prints).
/// </summary>
internal static class FuzzSettings
{
    public const string IterationsVariable = "BIDENGINE_FUZZ_ITERATIONS";
    public const string SeedVariable = "BIDENGINE_FUZZ_SEED";

    public static string? Seed
    {
        get
        {
            var seed = Environment.GetEnvironmentVariable(SeedVariable);
            return string.IsNullOrWhiteSpace(seed) ? null : seed.Trim();
        }
    }

    /// <summary>The number of cases: the variable when set, one when replaying a seed, else <paramref name="suiteDefault"/>.</summary>
    public static long Iterations(long suiteDefault)
    {
        var text = Environment.GetEnvironmentVariable(IterationsVariable);
        if (!string.IsNullOrWhiteSpace(text))
        {
            return long.TryParse(text, out var count) && count > 0
                ? count
                : throw new InvalidOperationException($"{IterationsVariable} must be a positive whole number, not '{text}'");
        }

        return Seed is null ? suiteDefault : 1;
    }
}
