using System.Buffers;
using System.Text;
using System.Text.Json;
using BidEngine.Core.Budgets;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Eligibility;
using BidEngine.Core.FrequencyCaps;
using BidEngine.Core.Heuristics;
using BidEngine.Core.Notices;
using BidEngine.Core.Time;
using BidEngine.OpenRtb.Response;

namespace BidEngine.Core.Tests;

/// <summary>The notice URLs a bid carries are written and read back by one room: what is written, the endpoint's checking accepts.</summary>
public sealed class NoticeUrlsTests
{
    private static readonly Campaign Acme = TestCampaigns.Campaign("cmp 1/a", [TestCampaigns.Banner("cr", 300, 250)]);
    private static readonly long Bucket = PlacementBucket.Key(Acme.Creatives[0], deviceType: 4);
    private static readonly NoticeUrls Urls = new("https://bidder.example/");

    private static ResponseBid Bid() => new() { Id = 42, Notices = Urls, NoticeCampaign = Acme.IdUrlUtf8, NoticeBucket = Bucket, NoticeUser = 7, NoticeCurrency = "USD"u8.ToArray() };

    /// <summary>One URL as a JSON string value, read back as text (and the raw JSON, to see the escaping).</summary>
    private static string Write(Action<Utf8JsonWriter, ResponseBid> write, out string raw)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer, Bid());
            writer.WriteStringValueSegment(ReadOnlySpan<byte>.Empty, isFinalSegment: true);
        }

        raw = Encoding.UTF8.GetString(output.WrittenSpan);
        return JsonSerializer.Deserialize<string>(output.WrittenSpan)!;
    }

    [Fact]
    public void WritesTheBillingUrlWithCampaignBucketBidUserCurrencyAndTheLiteralPriceMacro()
    {
        var url = Write(Urls.WriteBillingUrl, out var raw);

        var expected = $"https://bidder.example/openrtb2/notice/imp?c=cmp%201%2Fa&b={Bucket}&i=42&u=7&cur=USD&p=${{AUCTION_PRICE}}";
        Assert.Equal(expected, url);
        Assert.Equal("\"" + expected + "\"", raw);
    }

    [Fact]
    public void WritesTheClickUrlWithCampaignAndBucket()
    {
        var url = Write(Urls.WriteClickUrl, out _);

        Assert.Equal($"https://bidder.example/openrtb2/notice/click?c=cmp%201%2Fa&b={Bucket}", url);
    }

    [Theory]
    [InlineData(NoticeKind.Impression)]
    [InlineData(NoticeKind.Click)]
    public void AUrlAsWrittenIsAcceptedByTheNoticeCheckOnceTheExchangeFillsThePrice(NoticeKind kind)
    {
        var url = new Uri(Write(kind == NoticeKind.Impression ? Urls.WriteBillingUrl : Urls.WriteClickUrl, out _).Replace(NoticeUrls.PriceMacro, "1.25", StringComparison.Ordinal));
        var query = url.Query.TrimStart('?').Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        var counts = new OutcomeCounts();
        var snapshot = TestCampaigns.Snapshot(Acme);
        var clock = new ManualClock(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var ledger = new InProcessBudgetLedger(clock);
        var caps = new FrequencyCapTable(clock, new FrequencyCapOptions { Capacity = 64 });
        new CampaignGate(clock, ledger, caps).Register(snapshot);
        Assert.Equal(ReserveOutcome.Reserved, ledger.Reserve(Acme.Id, 42, Money.PerImpressionFromCpm(2.0)));
        var notices = new OutcomeNotices(() => snapshot, counts, new BillingBook(ledger, caps));

        Assert.Equal(kind == NoticeKind.Impression ? NoticeUrls.ImpressionPath : NoticeUrls.ClickPath, url.AbsolutePath);
        var result = notices.Record(
            kind,
            query[NoticeUrls.CampaignParameter],
            query[NoticeUrls.BucketParameter],
            query.GetValueOrDefault(NoticeUrls.PriceParameter),
            query.GetValueOrDefault(NoticeUrls.BidParameter),
            query.GetValueOrDefault(NoticeUrls.UserParameter),
            query.GetValueOrDefault(NoticeUrls.CurrencyParameter));

        Assert.Equal(NoticeOutcome.Recorded, result.Outcome);
        Assert.True(ledger.TryRead(Acme.Id, out var balance));
        Assert.Equal(kind == NoticeKind.Impression ? Money.PerImpressionFromCpm(1.25) : 0, balance.SpentNanos);
        var count = counts.Get("cmp 1/a", Bucket);
        Assert.Equal(kind == NoticeKind.Impression ? (1, 0) : (0, 1), (count.Impressions, count.Clicks));
        Assert.Equal(kind == NoticeKind.Impression ? 1.25 : 0, result.PriceCpm);
    }
}
