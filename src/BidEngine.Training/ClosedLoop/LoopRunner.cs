using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using BidEngine.Core.Events;
using BidEngine.Core.Features;
using BidEngine.Core.Pipeline;
using BidEngine.Training.Data;
using BidEngine.Training.Simulation;

namespace BidEngine.Training.ClosedLoop;

/// <summary>
/// The simulated exchange and its users around a real bidder. One producer draws the simulator's
/// impressions in order (one seeded stream, so a seed names the traffic) and writes each as an
/// OpenRTB request; <see cref="LoopSettings.Concurrency"/> workers send them over HTTP. For each bid
/// the auction is decided from the ground truth: competing bidders price the impression at its true
/// CTR × <see cref="LoopSettings.MarketValuePerClick"/> × 1000 with log-normal noise; the bid wins
/// if its price beats that, and pays it (second price). A win fires the bid's <c>nurl</c> and
/// <c>burl</c> with the clearing price, a loss its <c>lurl</c> with reason 102 and the price that
/// would have won; a billed impression is clicked with its true probability, through the click URL
/// in the markup. For each billed impression the simulator's own log gets the record it would have
/// written for the same request: its own pick of campaign (uniform among the eligible ones), a win,
/// and a click drawn from that pick's true probability; the truth goes to its sidecar.
/// </summary>
internal sealed class LoopRunner(LoopSettings settings, TextWriter? progress = null)
{
    private readonly object _simLock = new();

    private sealed record Work(long Index, string RequestId, byte[] Body, SimImpression Sim, FeatureInputsRecord SimInputs, float SimTruth, long UnixMs);

    public async Task<LoopTraffic> RunAsync(CancellationToken cancellationToken = default)
    {
        var world = LoopConfig.World(settings.Seed, settings.CampaignsPath, settings.SyntheticCampaigns);
        var simulator = new TrafficSimulator(world);
        simulator.Calibrate(settings.Seed);
        var pairs = new Dictionary<(string, string), int>();
        for (var p = 0; p < world.Pairs.Length; p++)
        {
            pairs[(world.Pairs[p].Campaign.Id, world.Pairs[p].Creative.Id)] = p;
        }

        Directory.CreateDirectory(settings.OutFolder);
        var traffic = new LoopTraffic();
        var channel = Channel.CreateBounded<Work>(new BoundedChannelOptions(settings.Concurrency * 4) { SingleWriter = true });
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = settings.Concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false };
        using var http = new HttpClient(handler) { BaseAddress = settings.Bidder, Timeout = TimeSpan.FromSeconds(10) };
        using var simLog = EventStreamWriter.Create(settings.SimLogPath);
        using var simTruth = TruthFile.Create(TruthFile.PathFor(settings.SimLogPath));

        var producer = Task.Run(async () =>
        {
            var random = new Random(settings.Seed);
            try
            {
                for (long i = 0; i < settings.Requests; i++)
                {
                    var time = DateTime.UtcNow;
                    var sim = simulator.Draw(random, time);
                    var request = simulator.Request;
                    var inputs = FeatureInputsRecord.From(FeatureInputs.From(request, request.Imps[0], sim.Campaign, sim.Creative, time));
                    var p = (float)GroundTruth.Probability(GroundTruth.Logit(world, sim) + world.Intercept);
                    var id = "cl-" + i.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
                    var body = LoopRequest.Write(id, sim, world, settings.TmaxMs);
                    await channel.Writer.WriteAsync(new Work(i, id, body, sim, inputs, p, EventRecord.ToUnixMs(time)), cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                channel.Writer.Complete();
            }
        }, cancellationToken);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var workers = Enumerable.Range(0, settings.Concurrency).Select(_ => Task.Run(async () =>
        {
            await foreach (var work in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await OneAsync(http, world, pairs, work, traffic, simLog, simTruth, cancellationToken).ConfigureAwait(false);
                var n = Interlocked.Increment(ref traffic.Requests);
                if (progress is not null && n % 20_000 == 0)
                {
                    progress.WriteLine($"  closed-loop: {n:N0} requests, {Volatile.Read(ref traffic.Billed):N0} billed, {Volatile.Read(ref traffic.Clicks):N0} clicks, {watch.Elapsed.TotalSeconds:F0} s");
                }
            }
        }, cancellationToken)).ToArray();

        await producer.ConfigureAwait(false);
        await Task.WhenAll(workers).ConfigureAwait(false);
        return traffic;
    }

    private async Task OneAsync(HttpClient http, SimWorld world, Dictionary<(string, string), int> pairs, Work work, LoopTraffic traffic,
        EventStreamWriter simLog, TruthFile simTruth, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(work.Body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        string text;
        try
        {
            using var response = await http.PostAsync("/openrtb2/bid", content, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                Interlocked.Increment(ref traffic.NoBids);
                return;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                Interlocked.Increment(ref traffic.Failed);
                return;
            }

            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref traffic.Failed);
            return;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref traffic.Failed);
            return;
        }

        using var doc = JsonDocument.Parse(text);
        if (!doc.RootElement.TryGetProperty("seatbid", out var seatbids) || seatbids.GetArrayLength() == 0)
        {
            Interlocked.Increment(ref traffic.NoBids);
            return;
        }

        var bid = seatbids[0].GetProperty("bid")[0];
        Interlocked.Increment(ref traffic.Bids);
        var cid = Text(bid, "cid") ?? "";
        var crid = Text(bid, "crid") ?? "";
        if (!pairs.TryGetValue((cid, crid), out var pair))
        {
            Interlocked.Increment(ref traffic.UnknownBids);
            return;
        }

        // The impression as the bidder filled it: the same slot and user, the bidder's campaign and creative.
        var shown = work.Sim;
        (shown.CampaignIndex, shown.Campaign, shown.Creative) = world.Pairs[pair];
        var p = GroundTruth.Probability(GroundTruth.Logit(world, shown) + world.Intercept);
        traffic.Truth[work.RequestId] = (float)p;

        // Draws of this request only, seeded by the run's seed and the request's number (not HashCode,
        // which is seeded per process): the order in which concurrent answers come back changes none of them.
        var random = new Random(unchecked((settings.Seed * 1_000_003) + (int)work.Index));
        var price = bid.GetProperty("price").GetDouble();
        var competing = Math.Round(p * settings.MarketValuePerClick * 1000 * Math.Exp(settings.MarketSpread * Gaussian.Next(random, 1)), 4);
        var currency = doc.RootElement.TryGetProperty("cur", out var cur) ? cur.GetString() ?? "USD" : "USD";
        if (price <= competing)
        {
            Interlocked.Increment(ref traffic.Lost);
            if (Text(bid, "lurl") is { } lurl)
            {
                var minToWin = competing + 0.01;
                if (await FireAsync(http, ExchangeNotices.Substitute(lurl, null, currency, ExchangeNotices.LostToHigherBid, minToWin), traffic, cancellationToken).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref traffic.LossNotices);
                }
            }

            return;
        }

        Interlocked.Increment(ref traffic.Won);
        var clearing = Math.Max(0.01, competing);
        if (Text(bid, "nurl") is { } nurl && await FireAsync(http, ExchangeNotices.Substitute(nurl, clearing, currency, null, null), traffic, cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Increment(ref traffic.WinNotices);
        }

        if (Text(bid, "burl") is not { } burl || !await FireAsync(http, ExchangeNotices.Substitute(burl, clearing, currency, null, null), traffic, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        Interlocked.Increment(ref traffic.Billed);
        traffic.BilledRequests.Add(work.RequestId);
        var clicked = random.NextDouble() < p;
        if (clicked)
        {
            if (ExchangeNotices.FindClickUrl(Text(bid, "adm"), settings.Bidder) is { } click)
            {
                if (await FireAsync(http, click, traffic, cancellationToken).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref traffic.Clicks);
                    traffic.ClickedRequests.Add(work.RequestId);
                }
            }
            else
            {
                Interlocked.Increment(ref traffic.ClicksWithoutUrl);
            }
        }

        // The simulator's own record of this impression: its own pick, its own click draw.
        var simClicked = random.NextDouble() < work.SimTruth;
        lock (_simLock)
        {
            simLog.Write(new BidEvent
            {
                RequestId = work.RequestId,
                ImpId = LoopRequest.ImpId,
                TimestampUnixMs = work.UnixMs,
                CampaignId = work.Sim.Campaign.Id,
                CreativeId = work.Sim.Creative.Id,
                PriceCpm = Math.Round(work.Sim.Campaign.CtrPrior * work.Sim.Campaign.ValuePerClick * 1000, 4),
                PCtr = (float)work.Sim.Campaign.CtrPrior,
                ScoringPath = ScoringPath.Heuristic,
                Inputs = work.SimInputs,
            });
            simTruth.Write(work.SimTruth);
            simLog.Write(new WinEvent { RequestId = work.RequestId, ImpId = LoopRequest.ImpId, TimestampUnixMs = work.UnixMs, CampaignId = work.Sim.Campaign.Id, CreativeId = work.Sim.Creative.Id, PriceCpm = clearing });
            if (simClicked)
            {
                simLog.Write(new ClickEvent { RequestId = work.RequestId, ImpId = LoopRequest.ImpId, TimestampUnixMs = work.UnixMs, CampaignId = work.Sim.Campaign.Id, CreativeId = work.Sim.Creative.Id });
            }
        }
    }

    /// <summary>Calls a notice URL if it is on the bidder; true when the bidder answered 2xx.</summary>
    private async Task<bool> FireAsync(HttpClient http, string url, LoopTraffic traffic, CancellationToken cancellationToken)
    {
        if (!ExchangeNotices.IsOnBidder(url, settings.Bidder))
        {
            Interlocked.Increment(ref traffic.NoticesNotOnBidder);
            return false;
        }

        try
        {
            using var response = await http.GetAsync(new Uri(url), cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }
        }
        catch (HttpRequestException)
        {
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        Interlocked.Increment(ref traffic.NoticesRefused);
        return false;
    }

    private static string? Text(JsonElement bid, string name) =>
        bid.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
