using System.Net;
using System.Text.Json;

namespace BidEngine.Server.Tests.Exchanges;

/// <summary>Exchange profiles over real HTTP: each exchange at its own path, with its own seat, currency and kill switch.</summary>
public sealed class ExchangeProfileTests
{
    private const string TwoCurrencies = """
        {"id":"req-1","tmax":200,"cur":["USD","EUR"],
         "imp":[{"id":"imp-1","banner":{"w":300,"h":250},"bidfloor":0.10}],
         "site":{"id":"s1","domain":"news.example","publisher":{"id":"p1"}},
         "device":{"devicetype":4,"os":"iOS","geo":{"country":"USA"}}}
        """;

    private static HttpRequestMessage PostTo(string path, string json)
    {
        var request = BidRequests.Post(json);
        request.RequestUri = new Uri(path, UriKind.Relative);
        return request;
    }

    [Fact]
    public async Task BidsAtTheExchangesOwnPathWithItsSeatAndCurrency()
    {
        await using var host = BidderHost.With("--BidEngine:Exchanges:prebid:Seat=seat-prebid", "--BidEngine:Exchanges:prebid:Currency=EUR");
        await host.InitializeAsync();

        using var viaProfile = await host.Client.SendAsync(PostTo("/openrtb2/prebid/bid", TwoCurrencies));
        Assert.Equal(HttpStatusCode.OK, viaProfile.StatusCode);
        using var answer = JsonDocument.Parse(await viaProfile.Content.ReadAsStringAsync());
        Assert.Equal("EUR", answer.RootElement.GetProperty("cur").GetString());
        Assert.Equal("seat-prebid", answer.RootElement.GetProperty("seatbid")[0].GetProperty("seat").GetString());

        // The bidder-wide path keeps the bidder-wide settings: USD first, each campaign's own seat.
        using var bidderWide = await host.Client.SendAsync(PostTo("/openrtb2/bid", TwoCurrencies));
        using var plain = JsonDocument.Parse(await bidderWide.Content.ReadAsStringAsync());
        Assert.NotEqual("EUR", plain.RootElement.TryGetProperty("cur", out var cur) ? cur.GetString() : "USD");
        Assert.NotEqual("seat-prebid", plain.RootElement.GetProperty("seatbid")[0].GetProperty("seat").GetString());

        // An exchange without a profile has no path.
        using var unknown = await host.Client.SendAsync(PostTo("/openrtb2/other/bid", TwoCurrencies));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task AnExchangeSwitchedOffInItsProfileGetsACheapNoBidAndTheOthersStillBid()
    {
        await using var host = BidderHost.With("--BidEngine:Exchanges:off:Disabled=true", "--BidEngine:Exchanges:on:Seat=s");
        await host.InitializeAsync();

        for (var i = 0; i < 5; i++)
        {
            using var off = await host.Client.SendAsync(PostTo("/openrtb2/off/bid", BidRequests.Banner));
            Assert.Equal(HttpStatusCode.NoContent, off.StatusCode);
        }

        using var on = await host.Client.SendAsync(PostTo("/openrtb2/on/bid", BidRequests.Banner));
        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        var metrics = await host.Management.GetStringAsync("/metrics");
        Assert.Equal(5, PrometheusText.Value(metrics, "bidengine_exchange_switched_off_total{exchange=\"off\"}"));
        Assert.Equal(3, PrometheusText.Value(metrics, "bidengine_exchange_state{exchange=\"off\"}"));
        Assert.Equal(1, PrometheusText.Value(metrics, "bidengine_exchange_answers_total{exchange=\"on\",answer=\"bid\"}"));
    }

    [Fact]
    public async Task TripsOnErrorsShedsTheExchangeAndRecoversOnItsOwn()
    {
        await using var host = BidderHost.With(
            "--BidEngine:Exchanges:flaky:Health:TripShare=0.5",
            "--BidEngine:Exchanges:flaky:Health:WindowSeconds=5",
            "--BidEngine:Exchanges:flaky:Health:MinAnswers=20",
            "--BidEngine:Exchanges:flaky:Health:CoolDownSeconds=1",
            "--BidEngine:Exchanges:flaky:Health:ProbeShare=1",
            "--BidEngine:Exchanges:flaky:Health:ProbeSeconds=1");
        await host.InitializeAsync();

        // Requests the bidder refuses are errors in the exchange's eyes; concurrent, as an exchange sends them.
        await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ =>
        {
            using var refused = await host.Client.SendAsync(PostTo("/openrtb2/flaky/bid", "{\"id\":\"x\"}"));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }));

        // Tripped: even a good request gets a no-bid at once (the switch is checked at most every 100 ms).
        await Task.Delay(150);
        using (var shed = await host.Client.SendAsync(PostTo("/openrtb2/flaky/bid", BidRequests.Banner)))
        {
            Assert.Equal(HttpStatusCode.NoContent, shed.StatusCode);
        }

        var tripped = await host.Management.GetStringAsync("/metrics");
        Assert.Equal(1, PrometheusText.Value(tripped, "bidengine_exchange_trips_total{exchange=\"flaky\"}"));
        Assert.Equal(1, PrometheusText.Value(tripped, "bidengine_exchange_state{exchange=\"flaky\"}"));
        Assert.Equal(30, PrometheusText.Value(tripped, "bidengine_exchange_answers_total{exchange=\"flaky\",answer=\"error\"}"));

        // After the cool-down it probes with good traffic, and closes once a probe period passed cleanly.
        var bids = 0;
        var until = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < until && bids < 20)
        {
            using var answer = await host.Client.SendAsync(PostTo("/openrtb2/flaky/bid", BidRequests.Banner));
            bids += answer.StatusCode == HttpStatusCode.OK ? 1 : 0;
            await Task.Delay(50);
        }

        Assert.Equal(20, bids);
        await Task.Delay(1200);
        using (var again = await host.Client.SendAsync(PostTo("/openrtb2/flaky/bid", BidRequests.Banner)))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        Assert.Equal(0, PrometheusText.Value(await host.Management.GetStringAsync("/metrics"), "bidengine_exchange_state{exchange=\"flaky\"}"));
    }

    [Fact]
    public async Task TheShippedExampleProfilesStartAndBid()
    {
        var example = Path.Combine(Path.GetDirectoryName(Corpus.Root)!, "config", "exchanges.example.json");
        using var file = JsonDocument.Parse(File.ReadAllText(example));
        var settings = new List<string>();
        Flatten(file.RootElement.GetProperty("BidEngine"), "--BidEngine", settings);
        await using var host = BidderHost.With([.. settings]);
        await host.InitializeAsync();

        foreach (var name in file.RootElement.GetProperty("BidEngine").GetProperty("Exchanges").EnumerateObject().Select(p => p.Name))
        {
            using var answer = await host.Client.SendAsync(PostTo($"/openrtb2/{name}/bid", BidRequests.Banner));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
    }

    [Theory]
    [InlineData("", "arO23ykdNqUQ5LEoQ0FVmPkBd7xB5CO89PDZlSjpFxo=", "EncryptionKey", "is required")]
    [InlineData("skU7Ax_NL5pPAFyKdkfZjZz2-VhIN8bjj1rVFOaJ_5o=", "", "IntegrityKey", "is required")]
    [InlineData("c2hvcnQtc2VjcmV0LWtleQ", "arO23ykdNqUQ5LEoQ0FVmPkBd7xB5CO89PDZlSjpFxo=", "EncryptionKey", "must decode to 32 bytes")]
    [InlineData("skU7Ax_NL5pPAFyKdkfZjZz2-VhIN8bjj1rVFOaJ_5o=", "not*base64*at*all*though*long*enough*to*be*a*key", "IntegrityKey", "is not base64")]
    public async Task AnEncryptingProfileWithAMissingOrShortKeyStopsTheStartNamingItButNeverAKey(string encryption, string integrity, string which, string problem)
    {
        var error = await BidderHost.StartFailsAsync(
            "--BidEngine:Exchanges:gx:PriceMacro=Encrypted",
            "--BidEngine:Exchanges:gx:PriceKeys:EncryptionKey=" + encryption,
            "--BidEngine:Exchanges:gx:PriceKeys:IntegrityKey=" + integrity);

        Assert.Contains($"BidEngine:Exchanges:gx:PriceKeys:{which} {problem}", error.Message, StringComparison.Ordinal);
        foreach (var key in new[] { encryption, integrity }.Where(k => k.Length > 0))
        {
            Assert.DoesNotContain(key, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PriceKeysOnAPlainProfileStopTheStartNamingPriceMacro()
    {
        var error = await BidderHost.StartFailsAsync("--BidEngine:Exchanges:gx:PriceKeys:EncryptionKey=skU7Ax_NL5pPAFyKdkfZjZz2-VhIN8bjj1rVFOaJ_5o=");

        Assert.Contains("BidEngine:Exchanges:gx:PriceMacro is Plain", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("skU7Ax", error.Message, StringComparison.Ordinal);
    }

    private static void Flatten(JsonElement element, string prefix, List<string> into)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                Flatten(property.Value, $"{prefix}:{property.Name}", into);
            }

            return;
        }

        into.Add($"{prefix}={element}");
    }
}
