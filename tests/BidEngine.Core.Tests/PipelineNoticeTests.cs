using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Heuristics;
using BidEngine.Core.Notices;
using BidEngine.Core.Pipeline;
using BidEngine.Core.Pricing;
using BidEngine.Core.Time;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Writing;

namespace BidEngine.Core.Tests;

/// <summary>With a notice base URL, every bid tells the exchange where to report its win, billing and loss, and its markup where to report clicks: all signed.</summary>
public sealed class PipelineNoticeTests
{
    private static readonly ManualClock Clock = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private static readonly NoticeSigner Signer = NoticeSigner.WithRandomKey();

    private static byte[] Request(int auctionType, string requestId = "r1") => System.Text.Encoding.UTF8.GetBytes(
        "{\"id\":\"" + requestId + "\",\"at\":" + auctionType + ",\"imp\":[{\"id\":\"1\",\"banner\":{\"w\":300,\"h\":250}}],\"device\":{\"devicetype\":4,\"geo\":{\"country\":\"USA\"}}}");

    private static JsonElement? DecideAndWrite(NoticeUrls? notices, byte[] request)
    {
        var campaign = PipelineAllocationTests.ClickMacroCampaign();
        var snapshot = TestCampaigns.Snapshot(campaign);
        var pipeline = new BidPipeline(() => snapshot, null, new PricingOptions(), new PipelineOptions(), new DeadlinePolicy(new DeadlineOptions()), notices: notices);
        var context = new BidContext();
        Assert.True(BidRequestParser.Parse(request, context.Request).IsSuccess);
        context.Deadline = RequestDeadline.None;
        var decided = pipeline.DecideAsync(context);
        Assert.True(decided.IsCompletedSuccessfully);
        if (context.Response.Bids.Count == 0)
        {
            return null;
        }

        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            BidResponseWriter.Write(writer, context.Request, context.Response);
        }

        using var doc = JsonDocument.Parse(output.WrittenMemory);
        return doc.RootElement.GetProperty("seatbid")[0].GetProperty("bid")[0].Clone();
    }

    private static NoticeUrls Urls() => new("https://bidder.example.com/", Signer, Clock);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void EveryBidCarriesSignedNurlBurlLurlAndItsMarkupASignedClickUrl(int auctionType)
    {
        var campaign = PipelineAllocationTests.ClickMacroCampaign();
        var bid = DecideAndWrite(Urls(), Request(auctionType))!.Value;

        var nurl = bid.GetProperty("nurl").GetString()!;
        var burl = bid.GetProperty("burl").GetString()!;
        var lurl = bid.GetProperty("lurl").GetString()!;
        var click = Regex.Match(bid.GetProperty("adm").GetString()!, "href=\"([^\"]+)\"").Groups[1].Value;
        Assert.StartsWith("https://bidder.example.com/openrtb2/notice/win?t=", nurl);
        Assert.StartsWith("https://bidder.example.com/openrtb2/notice/imp?t=", burl);
        Assert.StartsWith("https://bidder.example.com/openrtb2/notice/loss?t=", lurl);
        Assert.StartsWith("https://bidder.example.com/openrtb2/notice/click?t=", click);

        // The billing token binds what the ledger and the shading need: the bid id (its reservation), the
        // price, the value before shading and the cap (pCTR 0.05 × 5 USD a click × 1000; the bid is capped at 50), the auction type.
        var buffer = new byte[NoticeToken.MaxBytes];
        Assert.Equal(TokenCheck.Valid, NoticeToken.TryRead(Tests.Notices.NoticeRig.Token(burl), NoticeKind.Impression, Signer, buffer, out var claims));
        var price = bid.GetProperty("price").GetDouble();
        Assert.Equal(long.Parse(bid.GetProperty("id").GetString()!, CultureInfo.InvariantCulture), claims.BidId);
        Assert.Equal(price, claims.PriceCpm);
        Assert.Equal(auctionType == 1, claims.FirstPrice);
        Assert.Equal(50, price);
        Assert.Equal(250, claims.ValueCpm, 9);
        Assert.Equal(PlacementBucket.Key(campaign.Creatives[0], deviceType: 4), claims.Bucket);
        Assert.Equal(("r1", "1", campaign.Id, "cr-click", "USD"), (Ascii(claims.RequestId), Ascii(claims.ImpId), Ascii(claims.CampaignId), Ascii(claims.CreativeId), Ascii(claims.Currency)));
        Assert.Equal(TokenCheck.Valid, NoticeToken.TryRead(Tests.Notices.NoticeRig.Token(click), NoticeKind.Click, Signer, buffer, out _));
    }

    [Fact]
    public void ARequestWhoseIdNoTokenCanCarryGetsNoBidWhileNoticesAreOn()
    {
        var longId = new string('r', NoticeToken.MaxIdBytes + 1);

        Assert.Null(DecideAndWrite(Urls(), Request(2, longId)));
        Assert.NotNull(DecideAndWrite(null, Request(2, longId)));
    }

    [Fact]
    public void WithoutNoticesBidsAreWrittenAsBefore()
    {
        var bid = DecideAndWrite(null, Request(2))!.Value;

        Assert.False(bid.TryGetProperty("burl", out _));
        Assert.False(bid.TryGetProperty("nurl", out _));
        Assert.False(bid.TryGetProperty("lurl", out _));
        Assert.Equal("<a href=\"" + Campaigns.Creative.ClickUrlMacro + "\"><img src=\"x.png\"></a>", bid.GetProperty("adm").GetString());
    }

    private static string Ascii(ReadOnlySpan<byte> bytes) => System.Text.Encoding.UTF8.GetString(bytes);
}
