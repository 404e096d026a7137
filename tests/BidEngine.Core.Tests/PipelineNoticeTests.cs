using System.Buffers;
using System.Globalization;
using System.Text.Json;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Heuristics;
using BidEngine.Core.Notices;
using BidEngine.Core.Pipeline;
using BidEngine.Core.Pricing;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Writing;

namespace BidEngine.Core.Tests;

/// <summary>With a notice base URL, every bid tells the exchange where to report its billing and its clicks.</summary>
public sealed class PipelineNoticeTests
{
    private static readonly byte[] Request = """
        {"id":"r1","at":2,"imp":[{"id":"1","banner":{"w":300,"h":250}}],"device":{"devicetype":4,"geo":{"country":"USA"}}}
        """u8.ToArray();

    private static JsonElement DecideAndWrite(NoticeUrls? notices)
    {
        var campaign = PipelineAllocationTests.ClickMacroCampaign();
        var snapshot = TestCampaigns.Snapshot(campaign);
        var pipeline = new BidPipeline(() => snapshot, null, new PricingOptions(), new PipelineOptions(), new DeadlinePolicy(new DeadlineOptions()), notices: notices);
        var context = new BidContext();
        Assert.True(BidRequestParser.Parse(Request, context.Request).IsSuccess);
        context.Deadline = RequestDeadline.None;
        var decided = pipeline.DecideAsync(context);
        Assert.True(decided.IsCompletedSuccessfully);
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            BidResponseWriter.Write(writer, context.Request, context.Response);
        }

        using var doc = JsonDocument.Parse(output.WrittenMemory);
        return doc.RootElement.GetProperty("seatbid")[0].GetProperty("bid")[0].Clone();
    }

    [Fact]
    public void EveryBidCarriesBurlAndItsMarkupTheClickUrl()
    {
        var campaign = PipelineAllocationTests.ClickMacroCampaign();
        var bucket = PlacementBucket.Key(campaign.Creatives[0], deviceType: 4).ToString(CultureInfo.InvariantCulture);

        var bid = DecideAndWrite(new NoticeUrls("https://bidder.example.com/"));

        // The campaign id has a space and a slash: both percent-encoded in the query.
        // The request names no user: the user key is 0. The bid id is its reservation id.
        Assert.Equal(
            $"https://bidder.example.com/openrtb2/notice/imp?c=cmp%20click%2Fmacro&b={bucket}&i={bid.GetProperty("id").GetString()}&u=0&cur=USD&p=${{AUCTION_PRICE}}",
            bid.GetProperty("burl").GetString());
        Assert.Equal($"<a href=\"https://bidder.example.com/openrtb2/notice/click?c=cmp%20click%2Fmacro&b={bucket}\"><img src=\"x.png\"></a>", bid.GetProperty("adm").GetString());
    }

    [Fact]
    public void WithoutNoticesBidsAreWrittenAsBefore()
    {
        var bid = DecideAndWrite(null);

        Assert.False(bid.TryGetProperty("burl", out _));
        Assert.Equal("<a href=\"" + Campaigns.Creative.ClickUrlMacro + "\"><img src=\"x.png\"></a>", bid.GetProperty("adm").GetString());
    }
}
