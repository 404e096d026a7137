namespace BidEngine.Core.Budgets;

/// <summary>
/// Money in the ledger is a <see cref="long"/> count of nanos: 10^-9 of the campaign's currency.
/// Why integers and why nanos: an impression costs CPM / 1000, so a CPM with up to 6 decimals (more
/// than any exchange sends) is a whole number of nanos per impression, and sums stay exact; a 64-bit
/// integer is updated in one instruction and is what a Redis-protocol store adds atomically
/// (INCRBY; its float increment is not exact). <see cref="decimal"/> would be exact too, but is
/// 128 bits and has no such store counterpart. Range: 2^63 nanos is 9.2 × 10^9 currency units, so
/// budgets are capped at <see cref="MaxBudgetUnits"/>, leaving room for reservations and late spend.
/// </summary>
public static class Money
{
    public const long NanosPerUnit = 1_000_000_000;

    /// <summary>The largest budget a campaign may set, in currency units (1 billion).</summary>
    public const long MaxBudgetUnits = 1_000_000_000;

    /// <summary>The cost of one impression at <paramref name="cpm"/>, rounded to the nearest nano.</summary>
    public static long PerImpressionFromCpm(double cpm) => (long)Math.Round(cpm * (NanosPerUnit / 1000), MidpointRounding.AwayFromZero);

    /// <summary>The cost of one impression at <paramref name="cpm"/>, exact to 10^-6 of a CPM.</summary>
    public static long PerImpressionFromCpm(decimal cpm) => (long)Math.Round(cpm * (NanosPerUnit / 1000), MidpointRounding.AwayFromZero);

    public static long FromUnits(decimal units) => (long)Math.Round(units * NanosPerUnit, MidpointRounding.AwayFromZero);

    public static decimal ToUnits(long nanos) => (decimal)nanos / NanosPerUnit;
}
