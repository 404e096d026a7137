using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using BidEngine.Core.Budgets;
using BidEngine.Core.Exchanges;
using BidEngine.Core.Heuristics;
using Microsoft.Extensions.DependencyInjection;
using static BidEngine.Server.Tests.NoticeCalls;

namespace BidEngine.Server.Tests.Exchanges;

/// <summary>
/// Notices judged by the profile of the exchange their token names, over real HTTP: an exchange that
/// bills on nurl (no burl; its nurl spends once, also under concurrent replays), one that bills on
/// burl (its nurl spends nothing), encrypted clearing prices (decrypted and billed to the micro; a
/// tampered one refused like a forged notice; a plain number refused with a 400 naming it), and a
/// token made for one exchange never judged by another's settings.
/// </summary>
public sealed class ExchangeNoticeTests : IAsyncLifetime
{
    /// <summary>The keys of Google's "decrypt price confirmations" guide (the published test vectors).</summary>
    private const string EncryptionKey = "skU7Ax_NL5pPAFyKdkfZjZz2-VhIN8bjj1rVFOaJ_5o=";
    private const string IntegrityKey = "arO23ykdNqUQ5LEoQ0FVmPkBd7xB5CO89PDZlSjpFxo=";

    private static readonly string SigningKey = Convert.ToBase64String(Enumerable.Repeat((byte)0xC3, 32).ToArray());

    /// <summary>A second exchange of the same kind, with keys of its own (the same two, swapped), and a name as long as 'capped'.</summary>
    private static readonly EncryptedPriceKeys CappedKeys = EncryptedPriceKeys.FromBase64(EncryptionKey, IntegrityKey);
    private static readonly EncryptedPriceKeys SecondKeys = EncryptedPriceKeys.FromBase64(IntegrityKey, EncryptionKey);

    /// <summary>A video request: the sample video creative has a nurl of its own (it serves its VAST).</summary>
    private const string Video = """
        {"id":"req-v","tmax":200,"cur":["USD"],
         "imp":[{"id":"imp-v","video":{"mimes":["video/mp4"],"maxduration":30,"w":640,"h":480}}],
         "site":{"id":"s1","domain":"news.example","publisher":{"id":"p1"}},
         "device":{"devicetype":4,"os":"iOS","geo":{"country":"USA"}}}
        """;

    private DirectoryInfo _folder = null!;
    private BidderHost _host = null!;

    public async Task InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("bidengine-exchange-notices-");
        var campaigns = await WriteClickCampaignsAsync(_folder.FullName);
        _host = BidderHost.With(
            "--BidEngine:UseModel=false", "--BidEngine:ReloadCampaigns=false", "--BidEngine:CampaignsPath=" + campaigns,
            "--BidEngine:Notices:BaseUrl=" + BaseUrl, "--BidEngine:Notices:RefreshSeconds=3600", "--BidEngine:Notices:SigningKey=" + SigningKey,
            "--BidEngine:Exchanges:capped:BillOn=Nurl", "--BidEngine:Exchanges:capped:PriceMacro=Encrypted",
            "--BidEngine:Exchanges:capped:PriceKeys:EncryptionKey=" + EncryptionKey, "--BidEngine:Exchanges:capped:PriceKeys:IntegrityKey=" + IntegrityKey,
            "--BidEngine:Exchanges:second:BillOn=Nurl", "--BidEngine:Exchanges:second:PriceMacro=Encrypted",
            "--BidEngine:Exchanges:second:PriceKeys:EncryptionKey=" + IntegrityKey, "--BidEngine:Exchanges:second:PriceKeys:IntegrityKey=" + EncryptionKey,
            "--BidEngine:Exchanges:prebid:BillOn=Burl", "--BidEngine:Exchanges:prebid:PriceMacro=Plain");
        await _host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    /// <summary>A bid's notice URLs as written for an exchange; <see cref="Burl"/> null when the bid has none.</summary>
    private sealed record ExchangeBid(string CampaignId, double Price, string Nurl, string? Burl, string Lurl);

    private async Task<ExchangeBid> BidAtAsync(string exchange, string request = BidRequests.Banner)
    {
        using var message = BidRequests.Post(request);
        message.RequestUri = new Uri($"/openrtb2/{exchange}/bid", UriKind.Relative);
        using var response = await _host.Client.SendAsync(message);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var bid = doc.RootElement.GetProperty("seatbid")[0].GetProperty("bid")[0];
        return new ExchangeBid(
            bid.GetProperty("cid").GetString()!,
            bid.GetProperty("price").GetDouble(),
            bid.GetProperty("nurl").GetString()!,
            bid.TryGetProperty("burl", out var burl) ? burl.GetString() : null,
            bid.GetProperty("lurl").GetString()!);
    }

    /// <summary>The price as the exchange would encrypt it, with a fresh initialisation vector.</summary>
    private static string Encrypt(EncryptedPriceKeys keys, long micros)
    {
        var iv = new byte[16];
        Random.Shared.NextBytes(iv);
        var text = new byte[EncryptedPriceKeys.EncodedLength];
        keys.Encrypt(micros, iv, text);
        return Encoding.ASCII.GetString(text);
    }

    private async Task<HttpStatusCode> CallAsync(string url, string price)
    {
        using var response = await _host.Client.GetAsync(Local(url, price));
        return response.StatusCode;
    }

    /// <summary>Spend and reservations in the ledger, and impressions counted for the priors.</summary>
    private (long Spent, long Reserved, long Impressions) State(string campaignId)
    {
        Assert.True(_host.Services.GetRequiredService<IBudgetLedger>().TryRead(campaignId, out var balance));
        return (balance.SpentNanos, balance.ReservedNanos, _host.Services.GetRequiredService<OutcomeCounts>().Snapshot().Sum(c => c.Impressions));
    }

    private Task<double> MetricAsync(string series) => NoticeCalls.MetricAsync(_host, series);

    /// <summary>A clearing price below the bid with all six decimals used, in micros: billed to the micro or not at all.</summary>
    private static long OddMicros(double bidCpm) => (long)(bidCpm * 1_000_000 / 2) + 7;

    [Fact]
    public async Task ANurlExchangesBidHasNoBurlAndItsNurlBillsExactlyOnceUnderConcurrentReplays()
    {
        var bid = await BidAtAsync("capped");
        Assert.Null(bid.Burl);
        Assert.StartsWith(BaseUrl + "/openrtb2/notice/win?", bid.Nurl);
        var before = State(bid.CampaignId);
        var spendBefore = await MetricAsync("bidengine_spend_currency_units_total");
        var micros = OddMicros(bid.Price);
        var price = Encrypt(CappedKeys, micros);

        // 8 senders at once, each firing the same nurl 5 times, as an exchange retrying would.
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var senders = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await go.Task;
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 5; i++)
            {
                statuses.Add(await CallAsync(bid.Nurl, price));
            }

            return statuses;
        })).ToArray();
        go.SetResult();
        Assert.All((await Task.WhenAll(senders)).SelectMany(s => s), s => Assert.Equal(HttpStatusCode.NoContent, s));

        // One spend, of exactly the decrypted micros (micros of CPM are nanos per impression), and one win.
        var after = State(bid.CampaignId);
        Assert.Equal(micros, after.Spent - before.Spent);
        Assert.Equal(1, after.Impressions - before.Impressions);
        Assert.Equal(micros / 1e9, await MetricAsync("bidengine_spend_currency_units_total") - spendBefore, 12);
        Assert.Equal(1, await MetricAsync("bidengine_notices_total{kind=\"win\"}"));
        Assert.Equal(1, await MetricAsync("bidengine_notices_total{kind=\"imp\"}"));
        Assert.Equal(1, await MetricAsync("bidengine_billing_total{outcome=\"settled\"}"));
        Assert.Equal(39, await MetricAsync("bidengine_notices_refused_total{reason=\"replayed\"}"));

        // The win was also the billing: a loss cannot follow it, and nothing moves.
        Assert.Equal(HttpStatusCode.Forbidden, await NoticeCalls.CallAsync(_host, bid.Lurl));
        Assert.Equal(after, State(bid.CampaignId));
    }

    [Fact]
    public async Task ANurlExchangeDoesNotBidWithACreativeWhoseOwnNurlWouldTakeTheBillingNoticesPlace()
    {
        // The same video request bids through a burl exchange, with the creative's own nurl and the bidder's burl.
        var prebid = await BidAtAsync("prebid", Video);
        Assert.DoesNotContain("/openrtb2/notice/", prebid.Nurl, StringComparison.Ordinal);
        Assert.NotNull(prebid.Burl);

        using var message = BidRequests.Post(Video);
        message.RequestUri = new Uri("/openrtb2/capped/bid", UriKind.Relative);
        using var response = await _host.Client.SendAsync(message);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task ABurlExchangesNurlDoesNotBillAndItsBurlBillsOnce()
    {
        var bid = await BidAtAsync("prebid");
        Assert.NotNull(bid.Burl);
        var before = State(bid.CampaignId);
        var clearing = Math.Round(bid.Price / 2, 4).ToString("0.####", CultureInfo.InvariantCulture);

        Assert.Equal(HttpStatusCode.NoContent, await CallAsync(bid.Nurl, clearing));
        Assert.Equal(before, State(bid.CampaignId));
        Assert.Equal(0, await MetricAsync("bidengine_billing_total{outcome=\"settled\"}"));

        // Its win token cannot be sent as the billing one; its billing token bills, once.
        var winToken = TokenOf(bid.Nurl);
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(bid.Burl!.Replace(TokenOf(bid.Burl), winToken, StringComparison.Ordinal), clearing));
        Assert.Equal(HttpStatusCode.NoContent, await CallAsync(bid.Burl, clearing));
        Assert.Equal(HttpStatusCode.NoContent, await CallAsync(bid.Burl, clearing));
        var after = State(bid.CampaignId);
        Assert.Equal(Money.PerImpressionFromCpm(Math.Round(bid.Price / 2, 4)), after.Spent - before.Spent);
        Assert.Equal(1, after.Impressions - before.Impressions);
    }

    [Fact]
    public async Task ATamperedEncryptedPriceIsRefusedWith403AndSpendsNothing()
    {
        var bid = await BidAtAsync("capped");
        var before = State(bid.CampaignId);
        var micros = OddMicros(bid.Price);
        var price = Encrypt(CappedKeys, micros);

        // A character changed in the iv, in the encrypted price, in the signature; and a price made up whole.
        foreach (var at in new[] { 3, 20, 30 })
        {
            var tampered = price[..at] + (price[at] == 'A' ? 'B' : 'A') + price[(at + 1)..];
            using var refused = await _host.Client.GetAsync(Local(bid.Nurl, tampered));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("{\"error\":\"bad_price_signature\"}", await refused.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(bid.Nurl, new string('A', EncryptedPriceKeys.EncodedLength)));
        Assert.Equal(before, State(bid.CampaignId));
        Assert.Equal(4, await MetricAsync("bidengine_notices_refused_total{reason=\"bad_price_signature\"}"));
        Assert.Equal(0, await MetricAsync("bidengine_billing_total{outcome=\"settled\"}"));

        // An honest price above the bid is refused as a plain one would be.
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(bid.Nurl, Encrypt(CappedKeys, (long)Math.Round(bid.Price * 1_000_000) + 1)));
        Assert.Equal(1, await MetricAsync("bidengine_notices_refused_total{reason=\"price_above_bid\"}"));

        // Nothing was marked: the honest notice still bills, exactly.
        Assert.Equal(HttpStatusCode.NoContent, await CallAsync(bid.Nurl, price));
        Assert.Equal(micros, State(bid.CampaignId).Spent - before.Spent);
    }

    [Fact]
    public async Task ATokenMadeForOneExchangeIsJudgedByThatExchangesSettingsOnly()
    {
        var bid = await BidAtAsync("capped");
        var plain = await BidAtAsync("prebid");
        Assert.Equal(bid.CampaignId, plain.CampaignId);
        var before = State(bid.CampaignId);
        var micros = OddMicros(bid.Price);

        // A price under the other exchange's keys is not this exchange's price.
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(bid.Nurl, Encrypt(SecondKeys, micros)));
        Assert.Equal(1, await MetricAsync("bidengine_notices_refused_total{reason=\"bad_price_signature\"}"));

        // The token names 'capped'; made to name 'second' (same length, so the layout holds), its MAC breaks.
        var renamed = Rename(TokenOf(bid.Nurl), "capped", "second");
        using (var refused = await _host.Client.GetAsync(Local(bid.Nurl.Replace(TokenOf(bid.Nurl), renamed, StringComparison.Ordinal), Encrypt(SecondKeys, micros))))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("{\"error\":\"bad_token\"}", await refused.Content.ReadAsStringAsync());
        }

        // A plain-price burl exchange's token does not take an encrypted price, nor its burl a billing win.
        using (var notEncrypted = await _host.Client.GetAsync(Local(plain.Burl!, Encrypt(CappedKeys, 1000))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notEncrypted.StatusCode);
            using var error = JsonDocument.Parse(await notEncrypted.Content.ReadAsStringAsync());
            Assert.Equal("p", error.RootElement.GetProperty("field").GetString());
            Assert.Contains("not encrypted", error.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(plain.Burl!.Replace(TokenOf(plain.Burl), TokenOf(bid.Nurl), StringComparison.Ordinal), "0.1"));
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(plain.Burl.Replace(TokenOf(plain.Burl), TokenOf(bid.Nurl), StringComparison.Ordinal), Encrypt(CappedKeys, micros)));
        Assert.Equal(before, State(bid.CampaignId));
        Assert.Equal(0, await MetricAsync("bidengine_billing_total{outcome=\"settled\"}"));
    }

    [Fact]
    public async Task APlainPriceOnAnEncryptedExchangeIsA400NamingIt()
    {
        var bid = await BidAtAsync("capped");
        var before = State(bid.CampaignId);

        using var response = await _host.Client.GetAsync(Local(bid.Nurl, "0.5"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("bad_value", error.RootElement.GetProperty("error").GetString());
        Assert.Equal("p", error.RootElement.GetProperty("field").GetString());
        var message = error.RootElement.GetProperty("message").GetString()!;
        Assert.Contains("encrypted price of exchange capped", message, StringComparison.Ordinal);
        Assert.Contains("a plain number was sent", message, StringComparison.Ordinal);
        Assert.Equal(before, State(bid.CampaignId));
        Assert.Equal(1, await MetricAsync("bidengine_notices_total{kind=\"bad\"}"));
    }

    private static string TokenOf(string url)
    {
        var start = url.IndexOf("?t=", StringComparison.Ordinal) + 3;
        var end = url.IndexOf('&', start);
        return end < 0 ? url[start..] : url[start..end];
    }

    /// <summary>The token with the exchange name it carries replaced (the MAC left as it was).</summary>
    private static string Rename(string token, string from, string to)
    {
        var bytes = Base64Url.DecodeFromChars(token);
        var at = bytes.AsSpan().LastIndexOf(Encoding.ASCII.GetBytes(from));
        Assert.True(at > 0, "the token carries its exchange's name");
        Encoding.ASCII.GetBytes(to).CopyTo(bytes, at);
        return Base64Url.EncodeToString(bytes);
    }
}
