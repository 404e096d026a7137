using System.Collections.Concurrent;

namespace BidEngine.Core.Heuristics;

/// <summary>
/// Impressions and clicks observed by this bidder per campaign × <see cref="PlacementBucket"/>,
/// since it started. Many threads count at once: each pair has its own cell, found with a
/// lock-free dictionary read and bumped with one interlocked add, so counting never blocks and
/// allocates only the first time a pair is seen. Callers store only pairs they have checked
/// against the campaigns (see <c>OutcomeNotices</c>), which bounds the size.
/// </summary>
public sealed class OutcomeCounts
{
    private readonly ConcurrentDictionary<(string CampaignId, long Bucket), Cell> _cells = new();

    /// <summary>How many campaign × bucket pairs have been seen.</summary>
    public int PairCount => _cells.Count;

    public void AddImpression(string campaignId, long bucket) => Interlocked.Increment(ref CellOf(campaignId, bucket).Impressions);

    public void AddClick(string campaignId, long bucket) => Interlocked.Increment(ref CellOf(campaignId, bucket).Clicks);

    /// <summary>The counts of one pair; zeros when it was never seen.</summary>
    public OutcomeCount Get(string campaignId, long bucket) =>
        _cells.TryGetValue((campaignId, bucket), out var cell)
            ? new OutcomeCount(campaignId, bucket, Volatile.Read(ref cell.Impressions), Volatile.Read(ref cell.Clicks))
            : new OutcomeCount(campaignId, bucket, 0, 0);

    /// <summary>
    /// Every pair's counts as of now. Counting goes on meanwhile: a pair's impressions and clicks
    /// are each exact at the moment read, not necessarily at the same moment.
    /// </summary>
    public List<OutcomeCount> Snapshot()
    {
        var result = new List<OutcomeCount>(_cells.Count);
        foreach (var (key, cell) in _cells)
        {
            result.Add(new OutcomeCount(key.CampaignId, key.Bucket, Volatile.Read(ref cell.Impressions), Volatile.Read(ref cell.Clicks)));
        }

        return result;
    }

    private Cell CellOf(string campaignId, long bucket) =>
        _cells.TryGetValue((campaignId, bucket), out var cell) ? cell : _cells.GetOrAdd((campaignId, bucket), static _ => new Cell());

    /// <summary>One pair's counters; a class so that increments go to a stable address.</summary>
    private sealed class Cell
    {
        public long Impressions;
        public long Clicks;
    }
}
