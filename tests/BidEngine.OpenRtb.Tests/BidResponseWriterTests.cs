using System.Buffers;
using System.Text;
using System.Text.Json;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;
using BidEngine.OpenRtb.Response;
using BidEngine.OpenRtb.Writing;

namespace BidEngine.OpenRtb.Tests;

public sealed class BidResponseWriterTests
{
    internal static BidRequest TwoImpRequest()
    {
        var request = new BidRequest();
        var body = Encoding.UTF8.GetBytes("""{"id":"req-\"1\"","imp":[{"id":"a"},{"id":"b"}]}""");
        Assert.True(BidRequestParser.Parse(body, request).IsSuccess);
        return request;
    }

    private static readonly byte[] Adm = "<b>ad & more</b>"u8.ToArray();
    private static readonly byte[][] Adomain = ["adv.example"u8.ToArray()];
    private static readonly byte[] Crid = "cr1"u8.ToArray();
    private static readonly byte[] Cid = "c1"u8.ToArray();
    private static readonly byte[][] Cat = ["IAB1"u8.ToArray()];

    /// <summary>Adds a bid made of shared, pre-encoded campaign data, as the pipeline does.</summary>
    internal static void AddBid(BidResponse response, BidRequest request, int imp, byte[] seat, double price)
    {
        var bid = response.Bids.Add();
        bid.Id = 42 + imp;
        bid.ImpId = request.Imps[imp].Id;
        bid.Price = price;
        bid.Adm = Adm;
        bid.Adomain = Adomain;
        bid.Crid = Crid;
        bid.Cid = Cid;
        bid.Seat = seat;
        bid.Cat = Cat;
        bid.W = 300;
        bid.H = 250;
        bid.Mtype = 1;
    }

    [Fact]
    public void WritesAnOpenRtb26BidResponseGroupedBySeat()
    {
        var request = TwoImpRequest();
        var response = new BidResponse();
        AddBid(response, request, 0, "s1"u8.ToArray(), 1.25);
        AddBid(response, request, 1, "s2"u8.ToArray(), 0.5);

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            BidResponseWriter.Write(writer, request, response);
        }

        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        var root = doc.RootElement;
        Assert.Equal("req-\"1\"", root.GetProperty("id").GetString());
        Assert.Equal("USD", root.GetProperty("cur").GetString());
        var seats = root.GetProperty("seatbid");
        Assert.Equal(2, seats.GetArrayLength());
        var bid = seats[0].GetProperty("bid")[0];
        Assert.Equal("s1", seats[0].GetProperty("seat").GetString());
        Assert.Equal("42", bid.GetProperty("id").GetString());
        Assert.Equal("a", bid.GetProperty("impid").GetString());
        Assert.Equal(1.25, bid.GetProperty("price").GetDouble());
        Assert.Equal("<b>ad & more</b>", bid.GetProperty("adm").GetString());
        Assert.Equal("adv.example", bid.GetProperty("adomain")[0].GetString());
        Assert.Equal("cr1", bid.GetProperty("crid").GetString());
        Assert.Equal("c1", bid.GetProperty("cid").GetString());
        Assert.Equal("IAB1", bid.GetProperty("cat")[0].GetString());
        Assert.Equal(300, bid.GetProperty("w").GetInt32());
        Assert.Equal(1, bid.GetProperty("mtype").GetInt32());
        Assert.Equal("b", seats[1].GetProperty("bid")[0].GetProperty("impid").GetString());
    }

    private static readonly byte[][] AdmParts = ["<a href=\""u8.ToArray(), "\"><img src=\"x.png\"></a><!-- "u8.ToArray(), " -->"u8.ToArray()];

    /// <summary>Adds notice data to a bid as the pipeline does when <c>BidEngine:Notices:BaseUrl</c> is set.</summary>
    internal static void AddNotices(ResponseBid bid, long bucket, bool clickMacro)
    {
        bid.Notices = MarkerNoticeUrls.Instance;
        bid.NoticeBucket = bucket;
        bid.AdmParts = clickMacro ? AdmParts : null;
    }

    private static JsonElement WriteOneBid(BidResponse response, BidRequest request, JsonWriterOptions options, out string raw)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            BidResponseWriter.Write(writer, request, response);
        }

        raw = Encoding.UTF8.GetString(buffer.WrittenSpan);
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.GetProperty("seatbid")[0].GetProperty("bid")[0].Clone();
    }

    [Fact]
    public void WritesNurlBurlAndLurlAsTheNoticeRoomWritesThem()
    {
        var request = TwoImpRequest();
        var response = new BidResponse();
        AddBid(response, request, 0, "s1"u8.ToArray(), 1.25);
        AddNotices(response.Bids[0], 281479288520705, clickMacro: false);

        var relaxed = new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var bid = WriteOneBid(response, request, relaxed, out var raw);

        foreach (var (property, kind) in new[] { ("nurl", "win"), ("burl", "billing"), ("lurl", "loss") })
        {
            var expected = $"{kind}:a:c1:281479288520705";
            Assert.Equal(expected, bid.GetProperty(property).GetString());
            Assert.Contains($"\"{property}\":\"{expected}\"", raw);
        }

        Assert.Equal("<b>ad & more</b>", bid.GetProperty("adm").GetString());
    }

    [Fact]
    public void KeepsACreativesOwnNurlAndStillWritesBurlAndLurl()
    {
        var request = TwoImpRequest();
        var response = new BidResponse();
        AddBid(response, request, 0, "s1"u8.ToArray(), 1.25);
        AddNotices(response.Bids[0], 7, clickMacro: false);
        response.Bids[0].Nurl = "https://ads.example/serve?id=1"u8.ToArray();

        var bid = WriteOneBid(response, request, default, out _);

        Assert.Equal("https://ads.example/serve?id=1", bid.GetProperty("nurl").GetString());
        Assert.Equal("billing:a:c1:7", bid.GetProperty("burl").GetString());
        Assert.Equal("loss:a:c1:7", bid.GetProperty("lurl").GetString());
    }

    [Fact]
    public void ReplacesEveryClickMacroInTheMarkupWithTheClickUrl()
    {
        var request = TwoImpRequest();
        var response = new BidResponse();
        AddBid(response, request, 0, "s1"u8.ToArray(), 1.25);
        AddNotices(response.Bids[0], 7, clickMacro: true);

        // The default encoder escapes '&' and '<': the value must still read back whole.
        var bid = WriteOneBid(response, request, default, out _);

        const string Click = "click:a:c1:7";
        Assert.Equal($"<a href=\"{Click}\"><img src=\"x.png\"></a><!-- {Click} -->", bid.GetProperty("adm").GetString());
        Assert.Equal("billing:a:c1:7", bid.GetProperty("burl").GetString());
    }

    [Fact]
    public void WritesNoNoticeUrlsWhenNoticesAreOff()
    {
        var request = TwoImpRequest();
        var response = new BidResponse();
        AddBid(response, request, 0, "s1"u8.ToArray(), 1.25);
        response.Bids[0].AdmParts = AdmParts; // without notice URLs the markup goes out as it is

        var bid = WriteOneBid(response, request, default, out _);

        Assert.False(bid.TryGetProperty("burl", out _));
        Assert.False(bid.TryGetProperty("nurl", out _));
        Assert.False(bid.TryGetProperty("lurl", out _));
        Assert.Equal("<b>ad & more</b>", bid.GetProperty("adm").GetString());
    }

    [Fact]
    public void WritesANoBidWithItsReason()
    {
        var request = TwoImpRequest();
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            BidResponseWriter.WriteNoBid(writer, request, 15);
        }

        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        Assert.Equal(15, doc.RootElement.GetProperty("nbr").GetInt32());
        Assert.Equal("req-\"1\"", doc.RootElement.GetProperty("id").GetString());
    }
}
