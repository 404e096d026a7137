using System.Diagnostics;
using System.Runtime.InteropServices;
using BidEngine.Core.Events;
using BidEngine.Core.Features;
using BidEngine.Core.Heuristics;

namespace BidEngine.Training.Data;

/// <summary>
/// Reads an event log once (one file, or a folder the bidder's log wrote, its files in time
/// order): hashes every bid's logged inputs and joins its outcomes (win, bill, loss, click) to it
/// by (request id, imp id). A training row is a bid that became an impression, label clicked:
/// in a log with billing records (the bidder's), a billed bid; in a log without (the simulator's),
/// a won bid. A clicked bid is an impression even if its bill was lost. An outcome may come before
/// its bid in the file (it is held until the bid is read); clicks on one impression count once;
/// outcomes with no bid in the log, and outcomes logged without a request id (notices of a bidder
/// older than signed notices carry only the campaign), are counted and skipped; a torn last record
/// is skipped with a warning.
/// </summary>
internal static class DatasetLoader
{
    private const byte Won = 1, Billed = 2, Clicked = 4, Lost = 8;

    /// <param name="truthOf">
    /// The true click probability of a bid, for a log with no truth sidecar (the closed loop knows it
    /// for every request it sent); null: from the sidecar if there is one, else none.
    /// </param>
    public static async Task<Dataset> LoadAsync(string path, int hashBits, TextWriter? progress = null, CancellationToken cancellationToken = default, Func<BidEvent, float>? truthOf = null)
    {
        var truthAll = truthOf is null ? TruthFile.TryRead(path) : null;
        var truthList = truthOf is null ? null : new List<float>();
        var files = EventLogFolder.Files(path);
        var estimate = (int)Math.Min(int.MaxValue / FeatureSpec.FeatureCount / 2, files.Sum(f => new FileInfo(f).Length) / 180);
        var ids = new List<int>(estimate * FeatureSpec.FeatureCount);
        var timestamps = new List<long>(estimate);
        var cells = new List<int>(estimate);
        var outcomes = new List<byte>(estimate);
        var cellIndex = new Dictionary<(string, int, int, int, int), int>();
        var cellList = new List<(string CampaignId, int Kind, int W, int H, int DeviceClass)>();
        var byKey = new Dictionary<ulong, int>(estimate);

        // Outcomes read before their bid: rare (the bidder queues a bid before it answers), held until the bid comes.
        var early = new Dictionary<ulong, byte>();
        var row = new long[FeatureSpec.FeatureCount];
        long records = 0, winNotices = 0, bills = 0, losses = 0, clickNotices = 0, unkeyed = 0;
        var watch = Stopwatch.StartNew();

        foreach (var file in files)
        {
            using var reader = EventStreamReader.Open(file, warning => progress?.WriteLine("  warning: " + warning));
            await foreach (var record in reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                records++;
                byte flag;
                switch (record)
                {
                    case BidEvent bid:
                        var key = JoinKey(bid);
                        byKey[key] = timestamps.Count;
                        FeatureSpec.Hash(bid.Inputs.ToInputs(), row, hashBits);
                        foreach (var id in row)
                        {
                            ids.Add((int)id);
                        }

                        timestamps.Add(bid.TimestampUnixMs);
                        var cell = (bid.CampaignId, bid.Inputs.CreativeKind, bid.Inputs.W, bid.Inputs.H, PlacementBucket.DeviceClassOf(bid.Inputs.DeviceType));
                        if (!cellIndex.TryGetValue(cell, out var c))
                        {
                            c = cellList.Count;
                            cellIndex.Add(cell, c);
                            cellList.Add(cell);
                        }

                        cells.Add(c);
                        outcomes.Add(early.Remove(key, out var before) ? before : (byte)0);
                        truthList?.Add(truthOf!(bid));
                        continue;
                    case WinEvent:
                        winNotices++;
                        flag = Won;
                        break;
                    case ImpressionEvent:
                        bills++;
                        flag = Billed;
                        break;
                    case LossEvent:
                        losses++;
                        flag = Lost;
                        break;
                    case ClickEvent:
                        clickNotices++;
                        flag = Clicked;
                        break;
                    default:
                        continue;
                }

                if (record.RequestId.Length == 0)
                {
                    unkeyed++;
                }
                else if (byKey.TryGetValue(JoinKey(record), out var b))
                {
                    outcomes[b] |= flag;
                }
                else
                {
                    var k = JoinKey(record);
                    early[k] = (byte)(early.GetValueOrDefault(k) | flag);
                }

                if (progress is not null && records % 1_000_000 == 0)
                {
                    progress.WriteLine($"  read {records:N0} records, {timestamps.Count:N0} bids, {watch.Elapsed.TotalSeconds:F0} s");
                }
            }
        }

        if (truthAll is not null && truthAll.Length != timestamps.Count)
        {
            throw new InvalidDataException($"{TruthFile.PathFor(path)} has {truthAll.Length} values for {timestamps.Count} bids");
        }

        truthAll ??= truthList?.ToArray();

        // The bidder's log says which impressions were rendered (billed); the simulator's has wins only.
        var impression = bills > 0 ? Billed : Won;
        var count = 0;
        for (var i = 0; i < outcomes.Count; i++)
        {
            if ((outcomes[i] & (impression | Clicked)) != 0)
            {
                count++;
            }
        }

        const int F = FeatureSpec.FeatureCount;
        var outIds = new int[count * F];
        var labels = new byte[count];
        var truth = truthAll is null ? null : new float[count];
        var outTimes = new long[count];
        var outCells = new int[count];
        var allIds = CollectionsMarshal.AsSpan(ids);
        long clicks = 0, lostButBilled = 0;
        for (int i = 0, j = 0; i < outcomes.Count; i++)
        {
            var o = outcomes[i];
            if ((o & (impression | Clicked)) == 0)
            {
                continue;
            }

            if ((o & Lost) != 0)
            {
                lostButBilled++;
            }

            allIds.Slice(i * F, F).CopyTo(outIds.AsSpan(j * F, F));
            labels[j] = (o & Clicked) != 0 ? (byte)1 : (byte)0;
            clicks += labels[j];
            if (truth is not null)
            {
                truth[j] = truthAll![i];
            }

            outTimes[j] = timestamps[i];
            outCells[j] = cells[i];
            j++;
        }

        var orphans = early.Count;
        if (orphans > 0)
        {
            progress?.WriteLine($"  {orphans:N0} (request id, imp id) pairs had outcomes but no bid in the log (skipped)");
        }

        if (unkeyed > 0)
        {
            progress?.WriteLine($"  {unkeyed:N0} outcome records carry no request id (notices that name only the campaign): they cannot be joined to a bid (skipped)");
        }

        if (lostButBilled > 0)
        {
            progress?.WriteLine($"  {lostButBilled:N0} impressions also have a loss notice (kept as impressions)");
        }

        return new Dataset
        {
            HashBits = hashBits,
            Count = count,
            Ids = outIds,
            Labels = labels,
            Truth = truth,
            TimestampsMs = outTimes,
            Cell = outCells,
            Cells = cellList,
            Bids = timestamps.Count,
            Wins = count,
            Clicks = clicks,
            Log = new LogCounts(winNotices, bills, losses, clickNotices, unkeyed, orphans, bills > 0),
        };
    }

    private static ulong JoinKey(EventRecord record) =>
        FeatureHasher.Combine(
            0x4A01_4E00UL,
            FeatureHasher.Hash64(1, MemoryMarshal.AsBytes(record.RequestId.AsSpan())),
            FeatureHasher.Hash64(2, MemoryMarshal.AsBytes(record.ImpId.AsSpan())));
}
