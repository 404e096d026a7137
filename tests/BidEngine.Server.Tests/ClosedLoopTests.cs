using System.Net;
using BidEngine.Core.Events;
using BidEngine.Training.ClosedLoop;
using BidEngine.Training.Commands;
using BidEngine.Training.Data;
using BidEngine.Training.Learning;

namespace BidEngine.Server.Tests;

/// <summary>
/// The closed loop on a small scale against the real bidder process over HTTP: the simulator's
/// traffic, notices and clicks fired from the ground truth, the bidder's log read back by the
/// trainer's loader.
/// </summary>
public sealed class ClosedLoopTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bidengine-closedloop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task TheBiddersLogJoinsEveryBilledImpressionAndEveryClickToItsBid()
    {
        var config = Path.Combine(_dir, "config");
        var log = Path.Combine(_dir, "log");
        var campaigns = Path.Combine(AppContext.BaseDirectory, "config", "campaigns.json");
        Assert.Equal(0, await TrainingCommandLine.InvokeAsync(["closed-loop", "config", "--out", config, "--campaigns", campaigns], new StringWriter(), new StringWriter(), "test"));

        var port = ServerProcess.FreeLoopbackPort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var text = new StringWriter();
        LoopTraffic traffic;
        LoopResult simulator;
        await using (var server = ServerProcess.Start(
            ["--urls", address.ToString(), "--config", config, "--BidEngine:EventLog:Folder=" + log, "--BidEngine:EventLog:FlushIntervalMs=50",
                "--BidEngine:Notices:BaseUrl=" + address.ToString().TrimEnd('/')]))
        {
            Assert.True(await server.AnswersAtAsync(address, TimeSpan.FromSeconds(60)), server.Output);
            using (var http = new HttpClient { BaseAddress = address })
            {
                for (var i = 0; i < 600 && (await http.GetAsync("/readyz")).StatusCode != HttpStatusCode.OK; i++)
                {
                    await Task.Delay(50);
                }
            }

            var settings = new LoopSettings(address, Requests: 4_000, Concurrency: 8, Seed: 42, OutFolder: Path.Combine(_dir, "out"), campaigns, SyntheticCampaigns: 10);
            (traffic, _, simulator) = await ClosedLoopCommand.RunAsync(settings, log, 18, new FmTrainerOptions { Epochs = 1 }, 0.3, 0, TimeSpan.FromSeconds(20), text, "test");
        }

        output.WriteLine(text.ToString());
        Assert.Equal(4_000, traffic.Requests);
        Assert.Equal(0, traffic.Failed + traffic.UnknownBids + traffic.NoticesRefused + traffic.NoticesNotOnBidder + traffic.ClicksWithoutUrl);
        Assert.InRange(traffic.Billed, 1_000, traffic.Bids - 500);
        Assert.InRange(traffic.Clicks, 1, traffic.Billed);
        Assert.Equal(traffic.Billed, simulator.Impressions);

        // Read back as train --data reads it, after the bidder stopped (its queue written out).
        var data = await DatasetLoader.LoadAsync(log, 18);
        var records = new List<EventRecord>();
        await foreach (var record in EventLogFolder.ReadAllAsync(log))
        {
            records.Add(record);
        }

        var bids = records.OfType<BidEvent>().ToDictionary(b => (b.RequestId, b.ImpId));
        var bills = records.OfType<ImpressionEvent>().ToList();
        var clicks = records.OfType<ClickEvent>().ToList();
        Assert.Equal(traffic.Bids, bids.Count);
        Assert.Equal(traffic.Billed, bills.Count);
        Assert.Equal(traffic.Clicks, clicks.Count);
        Assert.Equal(0, data.Log.Unkeyed + data.Log.Orphans);
        Assert.Equal(traffic.Billed, data.Count);
        Assert.Equal(traffic.Clicks, data.Clicks);
        Assert.Equal(traffic.BilledRequests.Order(StringComparer.Ordinal), bills.Select(b => b.RequestId).Order(StringComparer.Ordinal));
        Assert.Equal(traffic.ClickedRequests.Order(StringComparer.Ordinal), clicks.Select(c => c.RequestId).Order(StringComparer.Ordinal));
        Assert.All(clicks, c =>
        {
            var bid = bids[(c.RequestId, c.ImpId)];
            Assert.Equal(bid.CampaignId, c.CampaignId);
            Assert.True(c.CreativeId.Length == 0 || c.CreativeId == bid.CreativeId, c.CreativeId);
        });
    }
}
