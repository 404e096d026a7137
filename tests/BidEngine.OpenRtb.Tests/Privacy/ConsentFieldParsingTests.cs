using System.Text;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;

namespace BidEngine.OpenRtb.Tests.Privacy;

/// <summary>The privacy signals the parser reads, in their OpenRTB 2.6 and 2.5 forms, whole and split as a socket delivers them.</summary>
public sealed class ConsentFieldParsingTests
{
    private const string Tc = "CQuAQVAQuDjRAAfAEBENBNEsAP_AAEPAAAAAHCwAoAAgBQA4UDhYAUAAQAoAcKAA";

    private static readonly string Both26 =
        $$$"""{"id":"r","imp":[{"id":"1"}],"user":{"id":"u1","consent":"{{{Tc}}}"},"device":{"lmt":1,"ifa":"ifa-1","ip":"203.0.113.7"},"regs":{"gdpr":1,"coppa":1,"us_privacy":"1YYN","gpp":"DBABLA~BVQqAAAAAQA.QA","gpp_sid":[7,8]}}""";

    private static readonly string Both25 =
        $$$"""{"id":"r","imp":[{"id":"1"}],"user":{"id":"u1","ext":{"consent":"{{{Tc}}}"}},"device":{"lmt":1,"ifa":"ifa-1","ip":"203.0.113.7"},"regs":{"coppa":1,"ext":{"gdpr":1,"us_privacy":"1YYN"},"gpp":"DBABLA~BVQqAAAAAQA.QA","gpp_sid":[7,8]}}""";

    public static TheoryData<int> SegmentSizes => [1, 2, 3, 7, 16, 64];

    [Fact]
    public void ReadsTheConsentSignalsOfA26Request()
    {
        var request = Parse(Both26);
        AssertSignals(request);
    }

    [Fact]
    public void ReadsThe25ExtFormsAlikeWithThe26Request()
    {
        var request = Parse(Both25);
        AssertSignals(request);
    }

    [Theory]
    [MemberData(nameof(SegmentSizes))]
    public void ReadsTheSameSignalsFromABodySplitIntoSmallSegments(int size)
    {
        foreach (var json in new[] { Both26, Both25 })
        {
            var request = new BidRequest();
            var result = BidRequestParser.Parse(Segments.Split(Encoding.UTF8.GetBytes(json), size), request);
            Assert.True(result.IsSuccess, result.Message);
            AssertSignals(request);
        }
    }

    [Theory]
    [InlineData("""{"consent":"new","ext":{"consent":"old"}}""")]
    [InlineData("""{"ext":{"consent":"old"},"consent":"new"}""")]
    public void TheUserConsentOf26WinsOver25sExtInWhicheverOrderTheyCome(string user)
    {
        var request = Parse($$$"""{"id":"r","imp":[{"id":"1"}],"user":{{{user}}}}""");
        Assert.Equal("new", request.Text.GetString(request.User.Consent));
    }

    [Fact]
    public void A25ExtConsentIsKeptWhenThe26FieldIsNull()
    {
        var request = Parse("""{"id":"r","imp":[{"id":"1"}],"user":{"consent":null,"ext":{"consent":"old"}}}""");
        Assert.Equal("old", request.Text.GetString(request.User.Consent));
    }

    [Theory]
    [InlineData("""[2,7,8]""", new[] { 2, 7, 8 })]
    [InlineData("""[]""", new int[0])]
    [InlineData("""[7,"8",0,64,-1,1.5,{"a":1},[9],63]""", new[] { 7, 63 })]
    public void ReadsGppSidIntoABitSetAndIgnoresItemsThatAreNotSectionIds(string sid, int[] expected)
    {
        var request = Parse($$$"""{"id":"r","imp":[{"id":"1"}],"regs":{"gpp_sid":{{{sid}}}}}""");
        Assert.True(request.Regs.HasGppSid);
        Assert.Equal(expected, Enumerable.Range(0, 64).Where(i => (request.Regs.GppSid & (1UL << i)) != 0));
    }

    [Theory]
    [InlineData("7")]
    [InlineData("\"7\"")]
    [InlineData("{\"a\":[1]}")]
    public void AGppSidThatIsNotAnArrayIsSkippedNotRefused(string sid)
    {
        var request = Parse($$$"""{"id":"r","imp":[{"id":"1"}],"regs":{"gpp_sid":{{{sid}}}},"user":{"consent":"c"}}""");
        Assert.False(request.Regs.HasGppSid);
        Assert.Equal("c", request.Text.GetString(request.User.Consent));
    }

    [Fact]
    public void AConsentThatIsNotAStringIsSkippedNotRefused()
    {
        var request = Parse("""{"id":"r","imp":[{"id":"1"}],"user":{"consent":{"v":2},"ext":{"consent":5}}}""");
        Assert.False(request.User.Consent.HasValue);
    }

    [Fact]
    public void ResetForgetsTheSignals()
    {
        var request = Parse(Both26);
        request.Reset();
        Assert.False(request.User.Consent.HasValue);
        Assert.False(request.Regs.HasGppSid);
        Assert.Equal(0UL, request.Regs.GppSid);
        Assert.False(request.Device.Lmt);
    }

    private static BidRequest Parse(string json)
    {
        var request = new BidRequest();
        var result = BidRequestParser.Parse(Encoding.UTF8.GetBytes(json), request);
        Assert.True(result.IsSuccess, result.Message);
        return request;
    }

    private static void AssertSignals(BidRequest request)
    {
        var t = request.Text;
        Assert.Equal(Tc, t.GetString(request.User.Consent));
        Assert.Equal(1, request.Regs.Gdpr);
        Assert.True(request.Regs.Coppa);
        Assert.True(request.Device.Lmt);
        Assert.Equal("1YYN", t.GetString(request.Regs.UsPrivacy));
        Assert.Equal("DBABLA~BVQqAAAAAQA.QA", t.GetString(request.Regs.Gpp));
        Assert.True(request.Regs.HasGppSid);
        Assert.Equal((1UL << 7) | (1UL << 8), request.Regs.GppSid);
        Assert.Equal("ifa-1", t.GetString(request.Device.Ifa));
        Assert.Equal("203.0.113.7", t.GetString(request.Device.Ip));
    }
}
