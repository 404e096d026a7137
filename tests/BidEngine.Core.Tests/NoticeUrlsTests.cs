using System.Buffers;
using System.Text;
using System.Text.Json;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Heuristics;
using BidEngine.Core.Notices;
using BidEngine.OpenRtb.Response;

namespace BidEngine.Core.Tests;

/// <summary>The notice URLs a bid carries are written and read back by one room: what is written, the endpoint's checking accepts.</summary>
public sealed class NoticeUrlsTests
{
    private static readonly Campaign Acme = TestCampaigns.Campaign("cmp 1/a", [TestCampaigns.Banner("cr", 300, 250)]);
    private static readonly long Bucket = PlacementBucket.Key(Acme.Creatives[0], deviceType: 4);
    private static readonly NoticeUrls Urls = new("https://bidder.example/");

    private static ResponseBid Bid() => new() { Notices = Urls, NoticeCampaign = Acme.IdUrlUtf8, NoticeBucket = Bucket };

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
    public void WritesTheBillingUrlWithCampaignBucketAndTheLiteralPriceMacro()
    {
        var url = Write(Urls.WriteBillingUrl, out var raw);

        var expected = $"https://bidder.example/openrtb2/notice/imp?c=cmp%201%2Fa&b={Bucket}&p=${{AUCTION_PRICE}}";
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
        var notices = new OutcomeNotices(() => snapshot, counts);

        Assert.Equal(kind == NoticeKind.Impression ? NoticeUrls.ImpressionPath : NoticeUrls.ClickPath, url.AbsolutePath);
        var result = notices.Record(kind, query[NoticeUrls.CampaignParameter], query[NoticeUrls.BucketParameter], query.GetValueOrDefault(NoticeUrls.PriceParameter));

        Assert.Equal(NoticeOutcome.Recorded, result.Outcome);
        var count = counts.Get("cmp 1/a", Bucket);
        Assert.Equal(kind == NoticeKind.Impression ? (1, 0) : (0, 1), (count.Impressions, count.Clicks));
        Assert.Equal(kind == NoticeKind.Impression ? 1.25 : 0, result.PriceCpm);
    }
}
