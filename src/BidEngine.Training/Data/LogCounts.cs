namespace BidEngine.Training.Data;

/// <summary>
/// The outcome records of a log as the loader met them: notices by kind, those that could not be
/// joined, and which record made a row an impression.
/// </summary>
/// <param name="Unkeyed">Outcomes without a request id: nothing to join them by.</param>
/// <param name="Orphans">Bids (request id, imp id) with outcomes but no bid record in the log.</param>
/// <param name="RowsAreBills">True: a row is a billed bid (the bidder's log); false: a won bid (the simulator's).</param>
internal sealed record LogCounts(long WinNotices, long Bills, long Losses, long ClickNotices, long Unkeyed, long Orphans, bool RowsAreBills)
{
    public static LogCounts None { get; } = new(0, 0, 0, 0, 0, 0, false);
}
