using System.Net;
using System.Text.Json;

namespace BidEngine.Server.Tests.Status;

/// <summary>
/// Load for the status page's tests: a few senders post corpus requests back to back, in turn to the
/// bidder-wide route and to exchange routes, and play the exchange for the bids (most are billed at
/// 60% of their price, a third lost to a higher bid) and the user for the ads (one billed ad in 50 is
/// clicked, where the campaigns' markup carries the click URL), so that every chart and column has data.
/// </summary>
internal sealed class BidTraffic : IAsyncDisposable
{
    /// <summary>Requests the sample campaigns bid on, of several kinds, so that several campaigns win.</summary>
    private static readonly string[] Bodies =
    [
        "app-banner-phone-usa-2.6.json", "site-banner-formats-eur.json", "site-video-instream.json", "app-native.json", "site-multi-imp.json",
    ];

    private readonly BidderHost _host;
    private readonly string[] _paths;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _senders;
    private long _sent;
    private long _bids;
    private long _notices;
    private long _billed;
    private long _failures;
    private string? _firstFailure;

    private BidTraffic(BidderHost host, int senders, string[] paths)
    {
        _host = host;
        _paths = paths;
        var bodies = Bodies.Select(name => Corpus.Read("requests", name)).ToArray();
        _senders = [.. Enumerable.Range(0, senders).Select(i => Task.Run(() => SendAsync(i, bodies)))];
    }

    /// <summary>Starts <paramref name="senders"/> loops against <paramref name="paths"/> (bid routes); stops at dispose.</summary>
    public static BidTraffic Start(BidderHost host, int senders, params string[] paths) => new(host, senders, paths);

    public long Sent => Interlocked.Read(ref _sent);

    public long Bids => Interlocked.Read(ref _bids);

    public long Notices => Interlocked.Read(ref _notices);

    /// <summary>Answers that were neither 200 nor 204, and notices not taken: a bidder under this load should have none.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>What the first failure was, for the assertion's message.</summary>
    public string? FirstFailure => Volatile.Read(ref _firstFailure);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_senders);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static string? ClickUrl(JsonElement bid)
    {
        var link = NoticeCalls.Href().Match(bid.TryGetProperty("adm", out var adm) ? adm.GetString() ?? "" : "");
        return link.Success && link.Groups[1].Value.StartsWith(NoticeCalls.BaseUrl, StringComparison.Ordinal) ? link.Groups[1].Value : null;
    }

    private void Fail(string what)
    {
        Interlocked.Increment(ref _failures);
        Interlocked.CompareExchange(ref _firstFailure, what, null);
    }

    private async Task SendAsync(int sender, byte[][] bodies)
    {
        var i = sender;
        while (!_stop.IsCancellationRequested)
        {
            i++;
            using var request = BidRequests.Post(bodies[i % bodies.Length]);
            request.RequestUri = new Uri(_paths[i % _paths.Length], UriKind.Relative);
            HttpResponseMessage response;
            try
            {
                response = await _host.Client.SendAsync(request, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            using (response)
            {
                Interlocked.Increment(ref _sent);
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    continue;
                }

                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Fail($"{(int)response.StatusCode} from {request.RequestUri}: {await response.Content.ReadAsStringAsync(_stop.Token)}");
                    continue;
                }

                Interlocked.Increment(ref _bids);
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(_stop.Token));
                var bid = doc.RootElement.GetProperty("seatbid")[0].GetProperty("bid")[0];
                if (!bid.TryGetProperty("burl", out var burl) || !bid.TryGetProperty("lurl", out var lurl))
                {
                    continue;
                }

                var price = bid.GetProperty("price").GetDouble();
                var currency = doc.RootElement.TryGetProperty("cur", out var cur) ? cur.GetString()! : "USD";
                var notice = i % 3 == 0
                    ? NoticeCalls.Local(lurl.GetString()!, loss: "102")
                    : NoticeCalls.Local(burl.GetString()!, price: (price * 0.6).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture), currency: currency);
                try
                {
                    using var taken = await _host.Client.GetAsync(notice, _stop.Token);
                    if (taken.StatusCode == HttpStatusCode.NoContent)
                    {
                        Interlocked.Increment(ref _notices);
                        if (i % 3 != 0 && Interlocked.Increment(ref _billed) % 50 == 0 && ClickUrl(bid) is { } click)
                        {
                            using var clicked = await _host.Client.GetAsync(NoticeCalls.Local(click), _stop.Token);
                            if (clicked.StatusCode != HttpStatusCode.NoContent)
                            {
                                Fail($"{(int)clicked.StatusCode} from {click}");
                            }
                        }
                    }
                    else
                    {
                        Fail($"{(int)taken.StatusCode} from {notice}: {await taken.Content.ReadAsStringAsync(_stop.Token)}");
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
