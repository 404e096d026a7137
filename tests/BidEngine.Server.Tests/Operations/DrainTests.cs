using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using BidEngine.Training.Commands;
using Xunit.Abstractions;

namespace BidEngine.Server.Tests.Operations;

/// <summary>
/// A deploy as a load balancer sees it: SIGTERM to the real process under traffic. Senders act like a
/// balancer that checks <c>/readyz</c> every 100 ms and takes a second to move its traffic away once
/// it says 503; the drain is longer than that. Every request they sent must be answered, every bid and
/// bill answered must be in the bid log once the process has exited, and the exit must be clean.
/// </summary>
public sealed class DrainTests(ITestOutputHelper output) : IDisposable
{
    private const int DrainSeconds = 3;
    private const int Senders = 8;
    private static readonly TimeSpan BalancerReaction = TimeSpan.FromSeconds(1);

    private readonly string _folder = Directory.CreateTempSubdirectory("bidengine-drain-log-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task ASigtermUnderTrafficLosesNothingItAccepted()
    {
        var port = ServerProcess.FreeLoopbackPort();
        var address = new Uri($"http://127.0.0.1:{port}");
        await using var server = ServerProcess.Start(
        [
            "--urls", address.ToString(), $"--BidEngine:Shutdown:DrainSeconds={DrainSeconds}",
            "--BidEngine:EventLog:Folder=" + _folder, "--BidEngine:EventLog:FlushIntervalMs=200",
            "--BidEngine:Notices:BaseUrl=" + address.ToString().TrimEnd('/'),
        ]);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Senders + 1 }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        Assert.True(await server.AnswersAtAsync(address, TimeSpan.FromSeconds(60)), server.Output);
        for (var i = 0; i < 600 && (await http.GetAsync("/readyz")).StatusCode != HttpStatusCode.OK; i++)
        {
            await Task.Delay(50);
        }

        var counts = new Counts();
        var terminatedAt = 0L;
        var notReadyAt = 0L;
        using var moveAway = new CancellationTokenSource();

        // The balancer's check: once /readyz says 503, traffic moves away a reaction time later.
        var balancer = Task.Run(async () =>
        {
            while (true)
            {
                await Task.Delay(100);
                try
                {
                    using var ready = await http.GetAsync("/readyz");
                    if (ready.StatusCode == HttpStatusCode.ServiceUnavailable && Volatile.Read(ref terminatedAt) != 0)
                    {
                        notReadyAt = Stopwatch.GetTimestamp();
                        moveAway.CancelAfter(BalancerReaction);
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    moveAway.Cancel();
                    return;
                }
            }
        });

        var senders = Enumerable.Range(0, Senders).Select(s => Task.Run(async () =>
        {
            for (var n = 0; !moveAway.IsCancellationRequested; n++)
            {
                await SendAsync(http, string.Create(CultureInfo.InvariantCulture, $"s{s}-{n}"), bill: n % 10 == 0, counts, () => Volatile.Read(ref terminatedAt));
            }
        })).ToArray();

        await Task.Delay(1500);
        Volatile.Write(ref terminatedAt, Stopwatch.GetTimestamp());
        server.Terminate();
        await Task.WhenAll([balancer, .. senders]);
        var exitCode = await server.ExitCodeAsync(TimeSpan.FromSeconds(30));
        var stats = await LogStats.ReadAsync(_folder);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sent {counts.Sent} ({counts.SentAfterSigterm} after SIGTERM), answered {counts.Answered} (bids {counts.Bids}, no-bids {counts.NoBids}, bills {counts.Bills}), failed {counts.Failed}; "
            + $"/readyz 503 {(notReadyAt == 0 ? "never seen" : $"after {Stopwatch.GetElapsedTime(terminatedAt, notReadyAt).TotalMilliseconds:F0} ms")}; log: {stats.Count("bid")} bids, {stats.Count("bill")} bills, {stats.TornTails} torn; exit {exitCode}"));
        foreach (var failure in counts.Failures.Take(5))
        {
            output.WriteLine("failed: " + failure);
        }

        Assert.True(exitCode == 0, "exit code " + exitCode + "\n" + server.Output);
        Assert.True(notReadyAt != 0, "/readyz never answered 503 after SIGTERM\n" + server.Output);
        Assert.InRange(Stopwatch.GetElapsedTime(terminatedAt, notReadyAt), TimeSpan.Zero, TimeSpan.FromSeconds(DrainSeconds - 1));
        Assert.True(counts.SentAfterSigterm > 0, "nothing was sent during the drain");
        Assert.Equal(0, counts.Failed);
        Assert.Equal(counts.Sent, counts.Answered);
        Assert.Equal((long)counts.Bids, stats.Count("bid"));
        Assert.Equal((long)counts.Bills, stats.Count("bill"));
        Assert.Equal(0, stats.TornTails);
        Assert.Contains("Draining: /readyz answers 503", server.Output, StringComparison.Ordinal);
    }

    private static async Task SendAsync(HttpClient http, string id, bool bill, Counts counts, Func<long> terminatedAt)
    {
        counts.Sending(terminatedAt() != 0);
        try
        {
            using var response = await http.SendAsync(BidRequests.Post(BidRequests.Banner.Replace("\"id\":\"req-1\"", $"\"id\":\"{id}\"", StringComparison.Ordinal)));
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                counts.Answer(bid: false);
                return;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                counts.Fail($"{id}: {(int)response.StatusCode}");
                return;
            }

            counts.Answer(bid: true);
            if (!bill)
            {
                return;
            }

            var burl = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["seatbid"]![0]!["bid"]![0]!["burl"]!.GetValue<string>();
            counts.Sending(terminatedAt() != 0);
            using var billed = await http.GetAsync(burl.Replace("${AUCTION_PRICE}", "1.5", StringComparison.Ordinal));
            if (billed.StatusCode == HttpStatusCode.NoContent)
            {
                counts.Answer(bill: true);
            }
            else
            {
                counts.Fail($"{id} bill: {(int)billed.StatusCode} {await billed.Content.ReadAsStringAsync()}");
            }
        }
        catch (HttpRequestException e)
        {
            counts.Fail($"{id}: {e.Message} ({(e.InnerException as SocketException)?.SocketErrorCode})");
        }
        catch (TaskCanceledException e)
        {
            counts.Fail($"{id}: {e.Message}");
        }
    }

    private sealed class Counts
    {
        private readonly Lock _lock = new();

        public int Sent { get; private set; }

        public int SentAfterSigterm { get; private set; }

        public int Answered { get; private set; }

        public int Bids { get; private set; }

        public int NoBids { get; private set; }

        public int Bills { get; private set; }

        public int Failed => Failures.Count;

        public List<string> Failures { get; } = [];

        public void Sending(bool afterSigterm)
        {
            lock (_lock)
            {
                Sent++;
                SentAfterSigterm += afterSigterm ? 1 : 0;
            }
        }

        public void Answer(bool bid = false, bool bill = false)
        {
            lock (_lock)
            {
                Answered++;
                Bids += bid ? 1 : 0;
                Bills += bill ? 1 : 0;
                NoBids += bid || bill ? 0 : 1;
            }
        }

        public void Fail(string what)
        {
            lock (_lock)
            {
                Failures.Add(what);
            }
        }
    }
}
