namespace BidEngine.Core.Budgets;

/// <summary>
/// One campaign's account at a moment, in nanos. Spent counts billed clearing prices; reserved
/// counts the prices of bids still outstanding. "Today" is the current day in the campaign's time zone.
/// </summary>
public readonly record struct BudgetBalance(
    long? TotalNanos,
    long? DailyNanos,
    long SpentNanos,
    long ReservedNanos,
    long SpentTodayNanos,
    long ReservedTodayNanos,
    long LateSpentNanos,
    int Outstanding)
{
    /// <summary>What a new reservation may still take from the total; null when there is no total.</summary>
    public long? RemainingNanos => TotalNanos is { } total ? Math.Max(0, total - SpentNanos - ReservedNanos) : null;

    /// <summary>What a new reservation may still take today; null when there is no daily budget.</summary>
    public long? RemainingTodayNanos => DailyNanos is { } daily ? Math.Max(0, daily - SpentTodayNanos - ReservedTodayNanos) : null;
}
