using System.Globalization;
using BidEngine.Core.Heuristics;
using StackExchange.Redis;

namespace BidEngine.State.Redis.Heuristics;

/// <summary>
/// The impressions and clicks behind the priors, pooled by the fleet: every sync a node adds what it
/// observed since its last sync to one hash in the store (<c>{p}oc</c>, fields <c>{campaign}|{bucket}|i</c>
/// and <c>|c</c>), then reads the whole hash into <see cref="Pooled"/>, which the prior refresher reads
/// instead of the node's own counts. Off the request path and the notice path: two round trips a sync.
/// A node's view is as old as the last sync of every node (a few seconds); a sync that cannot reach
/// the store keeps its deltas for the next one, so nothing observed is lost or counted twice
/// (a reply lost after the store applied the adds would count them twice: counts, not money).
/// </summary>
public sealed class OutcomeCountPool
{
    private readonly IDatabase _db;
    private readonly RedisKey _key;
    private readonly OutcomeCounts _local;
    private readonly Dictionary<(string Campaign, long Bucket), (long Impressions, long Clicks)> _pushed = [];

    internal OutcomeCountPool(IDatabase db, RedisKey key, OutcomeCounts local)
    {
        _db = db;
        _key = key;
        _local = local;
    }

    /// <summary>The fleet's counts as of the last sync.</summary>
    public OutcomeCounts Pooled { get; } = new();

    /// <summary>Pushes this node's new counts and reads the fleet's; false when the store did not answer (retried next time).</summary>
    public async Task<bool> SyncAsync()
    {
        var deltas = new List<(string Campaign, long Bucket, long Impressions, long Clicks, OutcomeCount Now)>();
        foreach (var now in _local.Snapshot())
        {
            _pushed.TryGetValue((now.CampaignId, now.Bucket), out var before);
            if (now.Impressions != before.Impressions || now.Clicks != before.Clicks)
            {
                deltas.Add((now.CampaignId, now.Bucket, now.Impressions - before.Impressions, now.Clicks - before.Clicks, now));
            }
        }

        try
        {
            if (deltas.Count > 0)
            {
                var batch = _db.CreateBatch();
                var adds = new List<Task>(deltas.Count * 2);
                foreach (var d in deltas)
                {
                    adds.Add(batch.HashIncrementAsync(_key, Field(d.Campaign, d.Bucket, 'i'), d.Impressions));
                    adds.Add(batch.HashIncrementAsync(_key, Field(d.Campaign, d.Bucket, 'c'), d.Clicks));
                }

                batch.Execute();
                await Task.WhenAll(adds).ConfigureAwait(false);
                foreach (var d in deltas)
                {
                    _pushed[(d.Campaign, d.Bucket)] = (d.Now.Impressions, d.Now.Clicks);
                }
            }

            Read(await _db.HashGetAllAsync(_key).ConfigureAwait(false));
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return false;
        }
    }

    private void Read(HashEntry[] entries)
    {
        var pairs = new Dictionary<(string Campaign, long Bucket), (long Impressions, long Clicks)>();
        foreach (var entry in entries)
        {
            var field = entry.Name.ToString();
            var last = field.LastIndexOf('|');
            var middle = last <= 0 ? -1 : field.LastIndexOf('|', last - 1);
            if (middle <= 0 || !long.TryParse(field.AsSpan(middle + 1, last - middle - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bucket))
            {
                continue;
            }

            var key = (field[..middle], bucket);
            pairs.TryGetValue(key, out var counts);
            pairs[key] = field[(last + 1)..] == "i" ? (Impressions: (long)entry.Value, counts.Clicks) : (counts.Impressions, Clicks: (long)entry.Value);
        }

        foreach (var ((campaign, bucket), (impressions, clicks)) in pairs)
        {
            Pooled.Set(campaign, bucket, impressions, clicks);
        }
    }

    private static string Field(string campaign, long bucket, char kind) =>
        string.Create(CultureInfo.InvariantCulture, $"{campaign}|{bucket}|{kind}");
}
