using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace BidEngine.Server.Tests.Exchanges;

/// <summary>
/// Every answer with a body carries Content-Length (some exchanges refuse chunked answers), and a
/// profile's size cap drops the cheapest bids until the answer fits.
/// </summary>
public sealed class ContentLengthTests
{
    private static readonly string MultiImp = File.ReadAllText(Path.Combine(Corpus.Root, "requests", "site-multi-imp.json"));

    private static HttpRequestMessage PostTo(string path, string json, bool gzip = false)
    {
        var request = BidRequests.Post(json);
        request.RequestUri = new Uri(path, UriKind.Relative);
        if (gzip)
        {
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        }

        return request;
    }

    private static async Task<byte[]> AssertContentLength(HttpResponseMessage answer)
    {
        var body = await answer.Content.ReadAsByteArrayAsync();
        Assert.NotEqual(true, answer.Headers.TransferEncodingChunked);
        Assert.Equal(body.Length, answer.Content.Headers.ContentLength);
        return body;
    }

    [Fact]
    public async Task EveryAnswerWithABodyCarriesItsLength()
    {
        await using var host = BidderHost.With("--BidEngine:Http:NoBidWithBody=true", "--BidEngine:Exchanges:x:Seat=s");
        await host.InitializeAsync();

        foreach (var path in new[] { "/openrtb2/bid", "/openrtb2/x/bid" })
        {
            using (var bid = await host.Client.SendAsync(PostTo(path, BidRequests.Banner)))
            {
                Assert.Equal(HttpStatusCode.OK, bid.StatusCode);
                using var json = JsonDocument.Parse(await AssertContentLength(bid));
                Assert.True(json.RootElement.TryGetProperty("seatbid", out _));
            }

            using (var gzip = await host.Client.SendAsync(PostTo(path, BidRequests.Banner, gzip: true)))
            {
                Assert.Equal("gzip", Assert.Single(gzip.Content.Headers.ContentEncoding));
                var compressed = await AssertContentLength(gzip);
                using var plain = new System.IO.Compression.GZipStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress);
                using var json = JsonDocument.Parse(plain);
                Assert.True(json.RootElement.TryGetProperty("seatbid", out _));
            }

            using (var noBid = await host.Client.SendAsync(PostTo(path, BidRequests.Banner.Replace("\"bidfloor\":0.10", "\"bidfloor\":5000", StringComparison.Ordinal))))
            {
                Assert.Equal(HttpStatusCode.OK, noBid.StatusCode);
                using var json = JsonDocument.Parse(await AssertContentLength(noBid));
                Assert.False(json.RootElement.TryGetProperty("seatbid", out _));
                Assert.Equal("req-1", json.RootElement.GetProperty("id").GetString());
            }

            using (var refused = await host.Client.SendAsync(PostTo(path, "{\"id\":\"r\"}")))
            {
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
                using var json = JsonDocument.Parse(await AssertContentLength(refused));
                Assert.Equal("imp", json.RootElement.GetProperty("field").GetString());
            }
        }
    }

    [Fact]
    public async Task AnExchangesSizeCapDropsTheCheapestBidsAndNothingElse()
    {
        await using var uncapped = BidderHost.With();
        await uncapped.InitializeAsync();
        using var full = await uncapped.Client.SendAsync(PostTo("/openrtb2/bid", MultiImp));
        var fullBody = await full.Content.ReadAsByteArrayAsync();
        var fullBids = Bids(fullBody);
        Assert.True(fullBids.Count >= 3, "the multi-imp request must draw several bids for this test to mean anything");

        // A cap one byte short of the full answer: at least the cheapest bid must go.
        var cap = Math.Max(512, fullBody.Length - 1);
        await using var capped = BidderHost.With($"--BidEngine:Exchanges:small:MaxResponseBytes={cap}");
        await capped.InitializeAsync();
        using var answer = await capped.Client.SendAsync(PostTo("/openrtb2/small/bid", MultiImp));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var body = await AssertContentLength(answer);
        Assert.True(body.Length <= cap, $"{body.Length} bytes against a cap of {cap}");
        var kept = Bids(body);
        Assert.InRange(kept.Count, 1, fullBids.Count - 1);

        // Nothing else changed: each kept bid is one of the full answer's, as it was there ...
        var described = $"kept {string.Join(", ", kept)} of {string.Join(", ", fullBids)}";
        var left = fullBids.ToList();
        Assert.All(kept, bid => Assert.True(left.Remove(bid), $"{bid} is not in the full answer; {described}"));

        // ... and the ones kept are the most expensive: the cheapest went first, and only they went.
        Assert.True(
            fullBids.Select(b => b.Price).OrderDescending().Take(kept.Count).SequenceEqual(kept.Select(b => b.Price).OrderDescending()),
            described);

        var metrics = await capped.Management.GetStringAsync("/metrics");
        Assert.Equal(fullBids.Count - kept.Count, PrometheusText.Value(metrics, "bidengine_exchange_bids_dropped_for_size_total{exchange=\"small\"}"));
    }

    [Fact]
    public async Task AnExchangeWhoseProfileSaysNoGzipGetsPlainAnswers()
    {
        await using var host = BidderHost.With("--BidEngine:Exchanges:plain:Gzip=false");
        await host.InitializeAsync();
        using var answer = await host.Client.SendAsync(PostTo("/openrtb2/plain/bid", BidRequests.Banner, gzip: true));
        Assert.Empty(answer.Content.Headers.ContentEncoding);
        using var json = JsonDocument.Parse(await AssertContentLength(answer));
        Assert.True(json.RootElement.TryGetProperty("seatbid", out _));
    }

    /// <summary>What a bid offers, without its id and notice URLs (unique to each answer).</summary>
    private sealed record Offer(string Imp, string Campaign, string Creative, double Price, string? Markup);

    private static List<Offer> Bids(byte[] body)
    {
        using var json = JsonDocument.Parse(body);
        return
        [
            .. json.RootElement.GetProperty("seatbid").EnumerateArray()
                .SelectMany(s => s.GetProperty("bid").EnumerateArray())
                .Select(b => new Offer(
                    b.GetProperty("impid").GetString()!,
                    b.GetProperty("cid").GetString()!,
                    b.GetProperty("crid").GetString()!,
                    b.GetProperty("price").GetDouble(),
                    b.TryGetProperty("adm", out var adm) ? adm.GetString() : null)),
        ];
    }
}
