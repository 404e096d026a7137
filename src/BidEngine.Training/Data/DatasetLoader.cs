using System.Diagnostics;
using System.Runtime.InteropServices;
using BidEngine.Core.Events;
using BidEngine.Core.Features;
using BidEngine.Core.Heuristics;

namespace BidEngine.Training.Data;

/// <summary>
/// Reads an event log once (one file, or a folder the bidder's log wrote, its files in time
/// order): hashes every bid's logged inputs, joins wins, bills and clicks to their bid by
/// (request id, imp id), and keeps the bids that became impressions as labelled rows (a win or a
/// bill makes an impression, a click a positive). Clicks on an impression count once; outcomes
/// without a bid in the log are counted and skipped; a torn last record is skipped with a warning.
/// </summary>
internal static class DatasetLoader
{
    public static async Task<Dataset> LoadAsync(string path, int hashBits, TextWriter? progress = null, CancellationToken cancellationToken = default)
    {
        var truthAll = TruthFile.TryRead(path);
        var files = EventLogFolder.Files(path);
        var estimate = (int)Math.Min(int.MaxValue / FeatureSpec.FeatureCount / 2, files.Sum(f => new FileInfo(f).Length) / 180);
        var ids = new List<int>(estimate * FeatureSpec.FeatureCount);
        var timestamps = new List<long>(estimate);
        var cells = new List<int>(estimate);
        var won = new List<bool>(estimate);
        var clicked = new List<bool>(estimate);
        var cellIndex = new Dictionary<(string, int, int, int, int), int>();
        var cellList = new List<(string CampaignId, int Kind, int W, int H, int DeviceClass)>();
        var byKey = new Dictionary<ulong, int>(estimate);
        var row = new long[FeatureSpec.FeatureCount];
        long orphans = 0, records = 0;
        var watch = Stopwatch.StartNew();

        foreach (var file in files)
        {
            using var reader = EventStreamReader.Open(file, warning => progress?.WriteLine("  warning: " + warning));
            await foreach (var record in reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                records++;
                switch (record)
                {
                    case BidEvent bid:
                        byKey[JoinKey(bid)] = timestamps.Count;
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
                        won.Add(false);
                        clicked.Add(false);
                        break;
                    case WinEvent or ImpressionEvent:
                        if (byKey.TryGetValue(JoinKey(record), out var w))
                        {
                            won[w] = true;
                        }
                        else
                        {
                            orphans++;
                        }

                        break;
                    case ClickEvent click:
                        if (byKey.TryGetValue(JoinKey(click), out var k))
                        {
                            clicked[k] = true;
                        }
                        else
                        {
                            orphans++;
                        }

                        break;
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

        // Keep the won bids, in order; an impression clicked without a win notice is still an impression.
        var count = 0;
        for (var i = 0; i < won.Count; i++)
        {
            if (won[i] || clicked[i])
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
        long clicks = 0;
        for (int i = 0, j = 0; i < won.Count; i++)
        {
            if (!(won[i] || clicked[i]))
            {
                continue;
            }

            allIds.Slice(i * F, F).CopyTo(outIds.AsSpan(j * F, F));
            labels[j] = clicked[i] ? (byte)1 : (byte)0;
            clicks += labels[j];
            if (truth is not null)
            {
                truth[j] = truthAll![i];
            }

            outTimes[j] = timestamps[i];
            outCells[j] = cells[i];
            j++;
        }

        if (orphans > 0)
        {
            progress?.WriteLine($"  {orphans:N0} wins/clicks had no bid in the file (skipped)");
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
        };
    }

    private static ulong JoinKey(EventRecord record) =>
        FeatureHasher.Combine(
            0x4A01_4E00UL,
            FeatureHasher.Hash64(1, MemoryMarshal.AsBytes(record.RequestId.AsSpan())),
            FeatureHasher.Hash64(2, MemoryMarshal.AsBytes(record.ImpId.AsSpan())));
}
