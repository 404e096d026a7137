using System.Diagnostics;
using System.Globalization;
using System.Net;
using BidEngine.Core.Events;
using BidEngine.Training.Commands;

namespace BidEngine.Server.Tests;

/// <summary>The bid log of the real server over real HTTP: what it holds after bids and notices, after a clean stop and after <c>kill -9</c>.</summary>
public sealed class EventLogOverHttpTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private const string BaseUrl = "https://bidder.example.com";

    private readonly string _folder = Directory.CreateTempSubdirectory("bidengine-eventlog-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task LogsEveryBidAndTheWinBillClickAndLossNoticesWithTheirIdsAndLogStatsCountsThem()
    {
        const int K = 25;
        NoticeCalls.SignedBid bid = null!, lost = null!;
        double clearing;
        var campaigns = await NoticeCalls.WriteClickCampaignsAsync(_folder);
        var logFolder = Path.Combine(_folder, "log");
        await using (var host = BidderHost.With(
            "--BidEngine:UseModel=false", "--BidEngine:Notices:BaseUrl=" + BaseUrl, "--BidEngine:EventLog:Folder=" + logFolder, "--BidEngine:EventLog:FlushIntervalMs=50",
            "--BidEngine:CampaignsPath=" + campaigns, "--BidEngine:ReloadCampaigns=false"))
        {
            await host.InitializeAsync();
            for (var i = 0; i < K; i++)
            {
                lost = bid;
                bid = await NoticeCalls.BidAsync(host);
            }

            // Billed at half the bid: no clearing price above the bid is taken.
            clearing = Math.Round(bid.Price / 2, 4);
            var price = clearing.ToString(CultureInfo.InvariantCulture);
            Assert.Equal(HttpStatusCode.NoContent, await NoticeCalls.CallAsync(host, bid.Nurl, price));
            Assert.Equal(HttpStatusCode.NoContent, await NoticeCalls.CallAsync(host, bid.Burl, price));
            Assert.Equal(HttpStatusCode.NoContent, await NoticeCalls.CallAsync(host, bid.ClickUrl!));
            Assert.Equal(HttpStatusCode.NoContent, await NoticeCalls.CallAsync(host, lost.Lurl, loss: "102", minToWin: "9.5"));

            // Refused notices leave no record.
            Assert.Equal(HttpStatusCode.Forbidden, await NoticeCalls.CallAsync(host, bid.Burl.Replace("?t=", "?t=x", StringComparison.Ordinal), price));

            var metrics = await host.Management.GetStringAsync("/metrics");
            Assert.Equal(0, PrometheusText.Value(metrics, "bidengine_event_log_dropped_total{type=\"bid\"}"));
        }

        // Stopped: the queue was written out. Warm-up's own requests are not in the log.
        var records = new List<EventRecord>();
        await foreach (var record in EventLogFolder.ReadAllAsync(logFolder))
        {
            records.Add(record);
        }

        var bids = records.OfType<BidEvent>().ToList();
        Assert.Equal(K, bids.Count);
        Assert.All(bids, b => Assert.Equal(bid.CampaignId, b.CampaignId));
        Assert.All(bids, b => Assert.Equal(Core.Pipeline.ScoringPath.Heuristic, b.ScoringPath));
        Assert.All(bids, b => Assert.True(b.DecisionMicros > 0));

        // Every outcome carries the request, imp, campaign and creative of its bid, from the verified token.
        var keys = ("req-1", "imp-1", bid.CampaignId, bid.CreativeId);
        var win = Assert.Single(records.OfType<WinEvent>());
        var bill = Assert.Single(records.OfType<ImpressionEvent>());
        var click = Assert.Single(records.OfType<ClickEvent>());
        var loss = Assert.Single(records.OfType<LossEvent>());
        Assert.All(new EventRecord[] { win, bill, click, loss }, r => Assert.Equal(keys, (r.RequestId, r.ImpId, r.CampaignId, r.CreativeId)));
        Assert.Equal((clearing, clearing), (win.PriceCpm, bill.PriceCpm));
        Assert.Equal((102, (double?)9.5), (loss.Reason, loss.MinToWinCpm));

        var stats = await LogStats.ReadAsync(logFolder);
        Assert.Equal((K, 1L, 1L, 1L, 1L, 0), (stats.Count("bid"), stats.Count("win"), stats.Count("bill"), stats.Count("click"), stats.Count("loss"), stats.TornTails));
    }

    /// <summary>
    /// SIGKILL mid-traffic: every request answered more than a flush interval (plus the writer's
    /// 20 ms poll) before the kill is in the log; a record cut by the kill is skipped with a warning.
    /// </summary>
    [Fact]
    public async Task AfterKillNineTheLogHoldsEveryRecordOlderThanTheFlushInterval()
    {
        const int FlushMs = 200;
        var port = ServerProcess.FreeLoopbackPort();
        var address = new Uri($"http://127.0.0.1:{port}");
        await using var server = ServerProcess.Start(
            ["--urls", address.ToString(), "--BidEngine:EventLog:Folder=" + _folder, $"--BidEngine:EventLog:FlushIntervalMs={FlushMs}"]);
        Assert.True(await server.AnswersAtAsync(address, TimeSpan.FromSeconds(60)), server.Output);
        using var http = new HttpClient { BaseAddress = address };

        // Decisions are logged from the end of warm-up, when /readyz turns 200.
        for (var i = 0; i < 600 && (await http.GetAsync("/readyz")).StatusCode != HttpStatusCode.OK; i++)
        {
            await Task.Delay(50);
        }

        var answered = new List<(string Id, long At)>();
        async Task SendAsync(string id)
        {
            using var response = await http.SendAsync(BidRequests.Post(BidRequests.Banner.Replace("\"id\":\"req-1\"", $"\"id\":\"{id}\"", StringComparison.Ordinal)));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                // Shed or out of time under the flood: a no-bid, not logged (SampleNoBids is 0).
                return;
            }

            lock (answered)
            {
                answered.Add((id, Stopwatch.GetTimestamp()));
            }
        }

        // A first batch, then a flood from 16 connections that is still running when the process is killed.
        for (var i = 0; i < 200; i++)
        {
            await SendAsync(string.Create(CultureInfo.InvariantCulture, $"a{i}"));
        }

        using var flood = new CancellationTokenSource();
        var senders = Enumerable.Range(0, 16).Select(c => Task.Run(async () =>
        {
            for (var n = 0; !flood.IsCancellationRequested; n++)
            {
                try
                {
                    await SendAsync(string.Create(CultureInfo.InvariantCulture, $"f{c}-{n}"));
                }
                catch (HttpRequestException)
                {
                    return;
                }
            }
        })).ToArray();
        await Task.Delay(1500);
        var killedAt = Stopwatch.GetTimestamp();
        server.Kill();
        await flood.CancelAsync();
        await Task.WhenAll(senders.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));

        var warnings = new List<string>();
        var logged = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var record in EventLogFolder.ReadAllAsync(_folder, warnings.Add))
        {
            if (record is BidEvent bid)
            {
                logged.Add(bid.RequestId);
            }
        }

        var margin = (FlushMs + 50) * Stopwatch.Frequency / 1000;
        var old = answered.Where(a => a.At < killedAt - margin).Select(a => a.Id).ToList();
        Assert.True(old.Count >= 200, $"{old.Count} requests answered before the flush margin");
        var missing = old.Where(id => !logged.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {old.Count} old requests missing, e.g. {string.Join(", ", missing.Take(5))}");

        // What a kill leaves: the file ends on a record boundary, or inside a record that the reader skips with a warning.
        var stats = await LogStats.ReadAsync(_folder);
        output.WriteLine($"{answered.Count} bids answered, {old.Count} before the margin, {logged.Count} logged; torn tails {stats.TornTails} ({stats.TornBytes} bytes)");
        Assert.Equal(stats.TornTails, warnings.Count);
        Assert.Equal(logged.Count, stats.Count("bid"));
    }
}
