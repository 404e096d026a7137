using BidEngine.Core.Events;
using BidEngine.Training.Commands;
using BidEngine.Training.Data;

namespace BidEngine.Training.Tests;

/// <summary>Training and <c>log-stats</c> on a folder as the bidder's log writes it: several files, bills in place of wins, a torn tail.</summary>
public sealed class EventLogFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bidengine-logfolder-").FullName;

    private static string CampaignsPath => Path.Combine(AppContext.BaseDirectory, "campaigns.json");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task TrainsFromAFolderJoiningBillsAndClicksToTheirBids()
    {
        var sim = Path.Combine(_dir, "sim.msgpack");
        var summary = SimulateCommand.Simulate(20_000, 3, sim, 14, CampaignsPath, 10, null);
        var folder = Path.Combine(_dir, "log");
        var torn = await SplitAsBidderLogAsync(sim, folder, files: 4);

        var progress = new StringWriter();
        var fromFolder = await DatasetLoader.LoadAsync(folder, 18, progress);
        var fromFile = await DatasetLoader.LoadAsync(sim, 18);

        // Every won bid became a billed impression in the folder; the joins find the same rows.
        Assert.Equal(summary.Wins, fromFolder.Count);
        Assert.Equal(summary.Clicks, fromFolder.Clicks);
        Assert.Equal(fromFile.Ids, fromFolder.Ids);
        Assert.Equal(fromFile.Labels, fromFolder.Labels);
        Assert.Contains($"cut short ({torn} bytes skipped)", progress.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogStatsCountsRecordsByTypeWithTimeRangeDropsAndTornTails()
    {
        var sim = Path.Combine(_dir, "sim.msgpack");
        var summary = SimulateCommand.Simulate(5_000, 4, sim, 14, CampaignsPath, 10, null);
        var folder = Path.Combine(_dir, "log");
        var torn = await SplitAsBidderLogAsync(sim, folder, files: 3);
        await using (var extra = new EventStreamWriter(new FileStream(Path.Combine(folder, "events-99990101T000000.000Z-000009.msgpack"), FileMode.CreateNew)))
        {
            extra.Write(new LossEvent { RequestId = "r", ImpId = "1", TimestampUnixMs = 1, Reason = 102 });
            extra.Write(new DroppedEvent { TimestampUnixMs = 2, Counts = [7, 0, 0, 3] });
        }

        var stats = await LogStats.ReadAsync(folder);
        Assert.Equal(4, stats.Files);
        Assert.Equal(5_000, stats.Count("bid"));
        Assert.Equal(summary.Wins, stats.Count("bill"));
        Assert.Equal(summary.Clicks, stats.Count("click"));
        Assert.Equal(1, stats.Count("loss"));
        Assert.Equal(7, stats.Dropped["bid"]);
        Assert.Equal(3, stats.Dropped["bill"]);
        Assert.Equal(1, stats.TornTails);
        Assert.Equal(torn, stats.TornBytes);
        Assert.Equal(1, stats.FirstUnixMs);

        var output = new StringWriter();
        var exit = await TrainingCommandLine.InvokeAsync(["log-stats", "--data", folder], output, new StringWriter(), "test");
        Assert.Equal(0, exit);
        var text = output.ToString();
        Assert.Contains("4 files", text, StringComparison.Ordinal);
        Assert.Contains("bid           5,000", text, StringComparison.Ordinal);
        Assert.Contains("dropped: bid 7, bill 3", text, StringComparison.Ordinal);
        Assert.Contains($"torn tails: 1 files, {torn} bytes skipped", text, StringComparison.Ordinal);
        Assert.Contains("warning: ", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// Rewrites a simulator log as the bidder's log would hold it: split over several files named
    /// in time order, each win a bill, and the last file cut inside its last record. Returns the
    /// torn bytes.
    /// </summary>
    private static async Task<int> SplitAsBidderLogAsync(string source, string folder, int files)
    {
        Directory.CreateDirectory(folder);
        var records = new List<EventRecord>();
        using (var reader = EventStreamReader.Open(source))
        {
            await foreach (var record in reader.ReadAllAsync())
            {
                records.Add(record is WinEvent win
                    ? new ImpressionEvent { RequestId = win.RequestId, ImpId = win.ImpId, TimestampUnixMs = win.TimestampUnixMs, CampaignId = win.CampaignId, CreativeId = win.CreativeId, PriceCpm = win.PriceCpm }
                    : record);
            }
        }

        // A bid that nothing joins to, as the torn last record: losing it loses no impression.
        records.Add(new BidEvent { RequestId = "torn", ImpId = "1", TimestampUnixMs = records[^1].TimestampUnixMs });
        var per = (records.Count + files - 1) / files;
        string last = "";
        for (var f = 0; f < files; f++)
        {
            last = Path.Combine(folder, $"events-2025010{f + 1}T000000.000Z-{f + 1:D6}.msgpack");
            using var writer = EventStreamWriter.Create(last);
            foreach (var record in records.Skip(f * per).Take(per))
            {
                writer.Write(record);
            }
        }

        var tornBytes = EventSerializer.Serialize(records[^1]).Length - 3;
        using (var stream = new FileStream(last, FileMode.Open))
        {
            stream.SetLength(stream.Length - 3);
        }

        return tornBytes;
    }
}
