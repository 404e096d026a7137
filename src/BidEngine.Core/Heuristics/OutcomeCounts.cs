using System.Collections.Concurrent;
using BidEngine.Core.State;
using MessagePack;

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

    /// <summary>Where each count is reported so that it survives a restart; null: memory only.</summary>
    public IStateJournal? Journal { get; set; }

    public void AddImpression(string campaignId, long bucket)
    {
        Interlocked.Increment(ref CellOf(campaignId, bucket).Impressions);
        Journal?.Append(new StateRecord { Kind = StateRecordKind.Impression, CampaignId = campaignId, Extra = bucket });
    }

    public void AddClick(string campaignId, long bucket)
    {
        Interlocked.Increment(ref CellOf(campaignId, bucket).Clicks);
        Journal?.Append(new StateRecord { Kind = StateRecordKind.Click, CampaignId = campaignId, Extra = bucket });
    }

    /// <summary>Counts replayed from the journal or a snapshot, added to the pair's.</summary>
    public void Restore(string campaignId, long bucket, long impressions, long clicks)
    {
        var cell = CellOf(campaignId, bucket);
        Interlocked.Add(ref cell.Impressions, impressions);
        Interlocked.Add(ref cell.Clicks, clicks);
    }

    /// <summary>Sets a pair's counts (a fleet's pooled view, read from its store).</summary>
    public void Set(string campaignId, long bucket, long impressions, long clicks)
    {
        var cell = CellOf(campaignId, bucket);
        Volatile.Write(ref cell.Impressions, impressions);
        Volatile.Write(ref cell.Clicks, clicks);
    }

    public void WriteSnapshot(ref MessagePackWriter writer)
    {
        var pairs = Snapshot();
        writer.WriteArrayHeader(pairs.Count * 4);
        foreach (var pair in pairs)
        {
            writer.Write(pair.CampaignId);
            writer.Write(pair.Bucket);
            writer.Write(pair.Impressions);
            writer.Write(pair.Clicks);
        }
    }

    public void ReadSnapshot(ref MessagePackReader reader)
    {
        var count = reader.ReadArrayHeader() / 4;
        for (var i = 0; i < count; i++)
        {
            Restore(reader.ReadString()!, reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64());
        }
    }

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
