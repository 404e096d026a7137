using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace BidEngine.LoadTests.Money;

/// <summary>
/// The <c>money</c> run: bids through a fleet's front at a steady rate for a bounded time, and for each
/// bid does what an exchange does: bills most of them (clearing at 0.7..1.0 of the bid, in USD) at a
/// random node after a short random delay, sends loss notices for others, leaves the rest silent, and
/// sends some bills again to another node. Then waits for idle leases to go back and reads the budgeted
/// campaign's spend from the store: overspend, stranded money and store round trips per bid and notice.
/// </summary>
public sealed class MoneyRun
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private readonly MoneyOptions _o;
    private readonly TextWriter _log;
    private readonly HttpClient _http;
    private readonly Stopwatch _clock = new();
    private readonly ConcurrentDictionary<string, long> _bidsByCampaign = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _notices = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Task> _noticeTasks = [];
    private long _requests;
    private long _bids;
    private long _noBids;
    private long _answers5xx;
    private long _other;
    private long _errors;
    private long _noticesSent;
    private long _notices5xx;
    private long _billedNanos;
    private long _silentNanos;
    private long _lastBudgetedBidTicks = -1;

    private MoneyRun(MoneyOptions o, TextWriter log)
    {
        _o = o;
        _log = log;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = o.Connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectTimeout = TimeSpan.FromSeconds(2),
        })
        {
            Timeout = TimeSpan.FromSeconds(2),
        };
    }

    public static async Task<MoneyReport> RunAsync(MoneyOptions o, TextWriter log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(log);
        var run = new MoneyRun(o, log);
        try
        {
            return await run.RunAsync(ct);
        }
        finally
        {
            run._http.Dispose();
        }
    }

    private async Task<MoneyReport> RunAsync(CancellationToken ct)
    {
        using var store = _o.Store is null ? null : await RespClient.ConnectAsync(_o.Store, ct);
        var metricsBefore = await ScrapeAsync(ct);
        var commandsBefore = store is null ? null : await store.InfoFieldAsync("stats", "total_commands_processed");

        _log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"money: {_o.Rate:0} rps for {_o.Duration.TotalSeconds:0.#} s through {_o.Front}, notices to {_o.Nodes.Count} node(s), campaign {_o.Campaign} budget {_o.BudgetUsd} USD"));
        await SendBidsAsync(ct);
        var sendSeconds = _clock.Elapsed.TotalSeconds;

        // Notices (and their replays) of the last bids are still in flight: each is bounded by its delay and the 2 s timeout.
        while (_noticeTasks.TryTake(out var t))
        {
            await t;
        }

        var metricsSent = await ScrapeAsync(ct);
        var commandsSent = store is null ? null : await store.InfoFieldAsync("stats", "total_commands_processed");

        _log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"money: sent; waiting {_o.Settle.TotalSeconds:0} s for idle leases to go back"));
        await Task.Delay(_o.Settle, ct);
        var metricsEnd = await ScrapeAsync(ct);
        double? spent = null, leased = null;
        if (store is not null)
        {
            var key = _o.KeyPrefix + "b:" + _o.Campaign;
            spent = Usd(await store.CommandAsync("HGET", key, "spent"));
            leased = Usd(await store.CommandAsync("HGET", key, "leased"));
        }

        return Report(sendSeconds, metricsBefore, metricsSent, metricsEnd, commandsBefore, commandsSent, spent, leased);
    }

    private async Task SendBidsAsync(CancellationToken ct)
    {
        var total = (long)Math.Round(_o.Rate * _o.Duration.TotalSeconds);
        using var slots = new SemaphoreSlim(_o.Connections);
        var inFlight = new List<Task>();
        _clock.Start();
        for (long i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / _o.Rate);
            var wait = due - _clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, ct);
            }

            await slots.WaitAsync(ct);
            inFlight.Add(BidAsync(i, slots, ct));
            if (inFlight.Count >= 4096)
            {
                inFlight.RemoveAll(t => t.IsCompleted);
            }
        }

        await Task.WhenAll(inFlight);
    }

    private async Task BidAsync(long i, SemaphoreSlim slots, CancellationToken ct)
    {
        // One generator per request, seeded by its index: the same seed gives the same traffic and fates.
        var random = new Random(HashCode.Combine(_o.Seed, i));
        try
        {
            Interlocked.Increment(ref _requests);
            var budgeted = random.NextDouble() < _o.BudgetedShare;
            using var content = new StringContent(RequestBody(i, budgeted ? 300 : 728, budgeted ? 250 : 90), Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(new Uri(_o.Front, "/openrtb2/bid"), content, ct);
            switch ((int)response.StatusCode)
            {
                case 200:
                    var body = await response.Content.ReadAsStringAsync(ct);
                    Interlocked.Increment(ref _bids);
                    OnBid(body, random, ct);
                    break;
                case 204:
                    Interlocked.Increment(ref _noBids);
                    break;
                case >= 500:
                    Interlocked.Increment(ref _answers5xx);
                    break;
                default:
                    Interlocked.Increment(ref _other);
                    break;
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            Interlocked.Increment(ref _errors);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>The bid's fate, as an exchange decides it: billed, lost, or never heard of again.</summary>
    private void OnBid(string body, Random random, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(body);
        var bid = doc.RootElement.GetProperty("seatbid")[0].GetProperty("bid")[0];
        var price = bid.GetProperty("price").GetDouble();
        var cid = bid.TryGetProperty("cid", out var c) ? c.GetString() ?? "" : "";
        _bidsByCampaign.AddOrUpdate(cid, 1, (_, n) => n + 1);
        var budgeted = cid == _o.Campaign;
        if (budgeted)
        {
            var now = _clock.Elapsed.Ticks;
            long last;
            while ((last = Interlocked.Read(ref _lastBudgetedBidTicks)) < now && Interlocked.CompareExchange(ref _lastBudgetedBidTicks, now, last) != last)
            {
            }
        }

        var fate = random.NextDouble();
        var node = random.Next(_o.Nodes.Count);
        var delay = TimeSpan.FromMilliseconds(random.Next((int)_o.MaxNoticeDelay.TotalMilliseconds + 1));
        if (fate < _o.BillRatio && bid.TryGetProperty("burl", out var burl))
        {
            // The CPM as the exchange writes it (4 decimals): the spend the bidder should count.
            var clearing = Math.Round(price * (0.7 + (0.3 * random.NextDouble())), 4);
            var url = NoticeCall.On(_o.Nodes[node], burl.GetString()!, priceCpm: clearing);
            var replayTo = _o.Nodes.Count > 1 && random.NextDouble() < _o.ReplayRatio
                ? _o.Nodes[(node + 1 + random.Next(_o.Nodes.Count - 1)) % _o.Nodes.Count]
                : null;
            var replayDelay = TimeSpan.FromMilliseconds(random.Next((int)_o.MaxNoticeDelay.TotalMilliseconds + 1));
            _noticeTasks.Add(BillAsync(url, delay, budgeted ? (long)Math.Round(clearing * 1e6) : 0, replayTo, replayDelay, ct));
        }
        else if (fate < _o.BillRatio + _o.LossRatio && bid.TryGetProperty("lurl", out var lurl))
        {
            // 102: lost to a higher bid, by 5%.
            var url = NoticeCall.On(_o.Nodes[node], lurl.GetString()!, loss: 102, minToWinCpm: price * 1.05);
            _noticeTasks.Add(NoticeAsync("loss", url, delay, ct));
        }
        else if (budgeted)
        {
            Interlocked.Add(ref _silentNanos, (long)Math.Round(price * 1e6));
        }
    }

    private async Task BillAsync(Uri url, TimeSpan delay, long budgetedNanos, Uri? replayTo, TimeSpan replayDelay, CancellationToken ct)
    {
        var status = await NoticeAsync("bill", url, delay, ct);
        if (status == 204 && budgetedNanos > 0)
        {
            Interlocked.Add(ref _billedNanos, budgetedNanos);
        }

        if (replayTo is not null)
        {
            await NoticeAsync("replay", new Uri(replayTo, url.PathAndQuery), replayDelay, ct);
        }
    }

    /// <summary>Sends one notice after its delay; returns its status (0 on a transport error or timeout).</summary>
    private async Task<int> NoticeAsync(string kind, Uri url, TimeSpan delay, CancellationToken ct)
    {
        await Task.Delay(delay, ct);
        Interlocked.Increment(ref _noticesSent);
        try
        {
            using var response = await _http.GetAsync(url, ct);
            var status = (int)response.StatusCode;
            if (status >= 500)
            {
                Interlocked.Increment(ref _notices5xx);
            }

            _notices.AddOrUpdate(kind + " " + status.ToString(CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
            return status;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            _notices.AddOrUpdate(kind + " error", 1, (_, n) => n + 1);
            return 0;
        }
    }

    private static string RequestBody(long i, int w, int h)
    {
        var c = CultureInfo.InvariantCulture;
        return "{\"id\":\"m" + i.ToString(c) + "\",\"at\":2,\"tmax\":200,\"cur\":[\"USD\"],\"imp\":[{\"id\":\"1\",\"banner\":{\"w\":"
            + w.ToString(c) + ",\"h\":" + h.ToString(c) + "}}],"
            + "\"site\":{\"id\":\"s1\",\"domain\":\"news.example\",\"publisher\":{\"id\":\"p1\"}},"
            + "\"device\":{\"devicetype\":2,\"os\":\"Linux\",\"geo\":{\"country\":\"USA\"}},\"user\":{\"id\":\"u" + (i % 50_000).ToString(c) + "\"}}";
    }

    private async Task<string[]> ScrapeAsync(CancellationToken ct)
    {
        var texts = new string[_o.Management.Count];
        for (var n = 0; n < texts.Length; n++)
        {
            try
            {
                texts[n] = await _http.GetStringAsync(new Uri(_o.Management[n], "/metrics"), ct);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                _log.WriteLine($"money: /metrics of {_o.Management[n]} failed: {e.Message}");
                texts[n] = "";
            }
        }

        return texts;
    }

    private static double? Delta(string[] before, string[] after, string name, params string[] labels)
    {
        double? sum = null;
        for (var n = 0; n < after.Length; n++)
        {
            if (PrometheusText.Sum(after[n], name, labels) is { } a)
            {
                sum = (sum ?? 0) + a - (PrometheusText.Sum(before[n], name, labels) ?? 0);
            }
        }

        return sum;
    }

    /// <summary>The highest value among the nodes: each node reports the fleet-wide spend it last read from the store.</summary>
    private static double? Max(string[] texts, string name, params string[] labels)
    {
        double? max = null;
        foreach (var t in texts)
        {
            if (PrometheusText.Sum(t, name, labels) is { } v)
            {
                max = Math.Max(max ?? v, v);
            }
        }

        return max;
    }

    /// <summary>The store keeps money in nanos of the campaign's currency.</summary>
    private static double? Usd(string? nanos) =>
        long.TryParse(nanos, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n / 1e9 : nanos is null ? 0 : null;

    private MoneyReport Report(double sendSeconds, string[] before, string[] sent, string[] end, long? commandsBefore, long? commandsSent, double? spent, double? leased)
    {
        var bids = Interlocked.Read(ref _bids);
        var background = Delta(before, sent, "bidengine_store_round_trips_total", "path=background");
        var notice = Delta(before, sent, "bidengine_store_round_trips_total", "path=notice");
        var metricsSpent = Max(end, "bidengine_campaign_spent_currency_units", "campaign=" + _o.Campaign, "period=total");
        var lastTicks = Interlocked.Read(ref _lastBudgetedBidTicks);
        double? last = lastTicks < 0 ? null : TimeSpan.FromTicks(lastTicks).TotalSeconds;
        // Stopped: no bid of the campaign in the last 2 s of sending (its requests kept coming).
        var stopped = last is { } l && sendSeconds - l >= 2;
        var spend = spent ?? metricsSpent;
        double? overspend = spend is { } s ? Math.Max(0, s - _o.BudgetUsd) / _o.BudgetUsd : null;
        double? stranded = stopped && spend is { } s2 ? Math.Max(0, _o.BudgetUsd - s2) / _o.BudgetUsd : null;
        var goals = overspend is { } o && o <= _o.MaxOverspendRatio && stranded is { } st && st <= _o.MaxStrandedRatio;
        return new MoneyReport
        {
            Date = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            Nodes = _o.Nodes.Count,
            RateRps = _o.Rate,
            DurationSeconds = _o.Duration.TotalSeconds,
            Requests = Interlocked.Read(ref _requests),
            Bids = bids,
            NoBids = Interlocked.Read(ref _noBids),
            Answers5xx = Interlocked.Read(ref _answers5xx),
            OtherStatus = Interlocked.Read(ref _other),
            Errors = Interlocked.Read(ref _errors),
            RequestsPerSecond = Interlocked.Read(ref _requests) / sendSeconds,
            BidsPerSecond = bids / sendSeconds,
            BidsByCampaign = new SortedDictionary<string, long>(_bidsByCampaign, StringComparer.Ordinal),
            Notices = new SortedDictionary<string, long>(_notices, StringComparer.Ordinal),
            NoticesSent = Interlocked.Read(ref _noticesSent),
            Notices5xx = Interlocked.Read(ref _notices5xx),
            BudgetUsd = _o.BudgetUsd,
            StoreSpentUsd = spent,
            StoreLeasedUsd = leased,
            MetricsSpentUsd = metricsSpent,
            BilledUsd = Interlocked.Read(ref _billedNanos) / 1e9,
            SilentHeldUsd = Interlocked.Read(ref _silentNanos) / 1e9,
            OverspendRatio = overspend,
            StrandedRatio = stranded,
            LastBudgetedBidSeconds = last,
            CampaignStopped = stopped,
            BackgroundRoundTrips = background,
            NoticeRoundTrips = notice,
            BackgroundRoundTripsPerBid = background is { } b && bids > 0 ? b / bids : null,
            NoticeRoundTripsPerNotice = notice is { } n && _noticesSent > 0 ? n / _noticesSent : null,
            StoreCommandsPerBid = commandsBefore is { } cb && commandsSent is { } cs && bids > 0 ? (double)(cs - cb) / bids : null,
            GoalsMet = goals,
        };
    }

    /// <summary>Writes the report as JSON.</summary>
    public static void WriteJson(MoneyReport report, string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(path, JsonSerializer.Serialize(report, JsonOptions));
    }
}
