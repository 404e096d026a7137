using System.Collections.Concurrent;

namespace BidEngine.Core.Notices;

/// <summary>
/// Won and lost bids per campaign since this process started, from verified notices (the status
/// page's win rate). A bid counts once: a win at its win notice, or at its billing when no win
/// notice came first; a loss at its loss notice. Notices only, never the bid path: a cell per
/// campaign, found with a lock-free read and bumped with an interlocked add, allocated the first
/// time a campaign is seen (the notices' allocation gate warms up before it measures).
/// </summary>
public sealed class WinLossCounts
{
    private readonly ConcurrentDictionary<string, Cell> _cells = new(StringComparer.Ordinal);

    public void AddWin(string campaignId) => Interlocked.Increment(ref CellOf(campaignId).Wins);

    public void AddLoss(string campaignId) => Interlocked.Increment(ref CellOf(campaignId).Losses);

    /// <summary>The campaign's wins and losses; zeros when it had no notice.</summary>
    public (long Wins, long Losses) Get(string campaignId) =>
        _cells.TryGetValue(campaignId, out var cell) ? (Volatile.Read(ref cell.Wins), Volatile.Read(ref cell.Losses)) : (0, 0);

    private Cell CellOf(string campaignId) =>
        _cells.TryGetValue(campaignId, out var cell) ? cell : _cells.GetOrAdd(campaignId, static _ => new Cell());

    /// <summary>A class so that increments go to a stable address.</summary>
    private sealed class Cell
    {
        public long Wins;
        public long Losses;
    }
}
