using System.Buffers;
using System.Text;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;

namespace BidEngine.OpenRtb.Tests;

public sealed class BidRequestParserTests
{
    private static (ParseResult Result, BidRequest Request) Parse(string json, ParserLimits? limits = null)
    {
        var request = new BidRequest();
        return (BidRequestParser.Parse(Encoding.UTF8.GetBytes(json), request, limits), request);
    }

    [Fact]
    public void ReadsTheFieldsOfTheReadmeExample()
    {
        var request = new BidRequest();
        var result = BidRequestParser.Parse(Corpus.Read("requests", "app-banner-phone-usa-2.6.json"), request);

        Assert.True(result.IsSuccess, result.Message);
        var t = request.Text;
        Assert.Equal("be-app-banner-26-0001", t.GetString(request.Id));
        Assert.Equal(1, request.AuctionType);
        Assert.Equal(120, request.Tmax);
        Assert.Equal("USD", t.GetString(request.Cur[0]));
        var imp = Assert.Single(Enumerable.Range(0, request.Imps.Count).Select(i => request.Imps[i]));
        Assert.Equal("1", t.GetString(imp.Id));
        Assert.Equal(0.4, imp.BidFloor);
        Assert.Equal("feed-inline-1", t.GetString(imp.TagId));
        Assert.Equal(1, imp.Secure);
        Assert.True(imp.Banner.Present);
        Assert.Equal((320, 50), (imp.Banner.W, imp.Banner.H));
        Assert.True(imp.Banner.Allows(300, 250));
        Assert.False(imp.Banner.Allows(728, 90));
        Assert.False(request.Site.Present);
        Assert.Equal("com.example.trailweather", t.GetString(request.App.Bundle));
        Assert.Equal("pub-310", t.GetString(request.PublisherId));
        Assert.Equal(4, request.Device.DeviceType);
        Assert.Equal("Android", t.GetString(request.Device.Os));
        Assert.Equal("USA", t.GetString(request.Device.Geo.Country));
        Assert.Equal(-360, request.Device.Geo.UtcOffset);
        Assert.Equal(1990, request.User.Yob);
        Assert.Equal(0, request.Regs.Gdpr);
        Assert.Equal("1YNN", t.GetString(request.Regs.UsPrivacy));
        Assert.True(request.Source.HasSchain);
        Assert.Equal(1, request.Source.SchainNodes);
    }

    [Fact]
    public void ReadsThe25And26FormsOfTheSameRequestAlike()
    {
        var r25 = new BidRequest();
        var r26 = new BidRequest();
        Assert.True(BidRequestParser.Parse(Corpus.Read("requests", "app-banner-rewarded-2.5.json"), r25).IsSuccess);
        Assert.True(BidRequestParser.Parse(Corpus.Read("requests", "app-banner-rewarded-2.6.json"), r26).IsSuccess);

        Assert.Equal(0, r25.Regs.Gdpr);
        Assert.True(r25.Source.HasSchain);
        Assert.True(r25.Source.SchainComplete);
        Assert.Equal(RequestDump.Of(r26), RequestDump.Of(r25));
    }

    public static TheoryData<string> Requests => Corpus.Names("requests");

    public static TheoryData<string> Malformed => Corpus.Names("malformed");

    public static TheoryData<string> ExternalRequests => Corpus.ExternalNames("requests");

    public static TheoryData<string> ExternalMalformed => Corpus.ExternalNames("malformed");

    public static TheoryData<string, string> Fixtures => CorpusExpectations.Rows();

    [Theory]
    [MemberData(nameof(Requests))]
    public void ParsesEveryCorpusRequest(string name) => AssertParses(name, Corpus.Read("requests", name));

    [ExternalCorpusTheory]
    [MemberData(nameof(ExternalRequests))]
    public void ParsesEveryExternalCorpusRequest(string name) => AssertParses(name, Corpus.ReadExternal("requests", name));

    [Theory]
    [MemberData(nameof(Malformed))]
    public void RefusesEveryMalformedCorpusFileAsNotJson(string name) => AssertNotJson(Corpus.Read("malformed", name));

    [ExternalCorpusTheory]
    [MemberData(nameof(ExternalMalformed))]
    public void RefusesEveryMalformedExternalCorpusFileAsNotJson(string name) => AssertNotJson(Corpus.ReadExternal("malformed", name));

    [Theory]
    [MemberData(nameof(Requests))]
    public void GivesTheSameRequestWhenTheBodyArrivesInSmallSegments(string name) => AssertSameInSegments(Corpus.Read("requests", name));

    [ExternalCorpusTheory]
    [MemberData(nameof(ExternalRequests))]
    public void GivesTheSameExternalRequestWhenTheBodyArrivesInSmallSegments(string name) => AssertSameInSegments(Corpus.ReadExternal("requests", name));

    /// <summary>The parser's half of what corpus/README.md promises: accepted, or refused with the stated code and field.</summary>
    [Theory]
    [MemberData(nameof(Fixtures))]
    public void GivesEveryFixtureTheOutcomeTheCorpusReadmeStates(string folder, string name)
    {
        var expected = CorpusExpectations.Of(folder, name);
        var result = BidRequestParser.Parse(Corpus.Read(folder, name), new BidRequest());

        if (expected.Status == 400)
        {
            Assert.Equal((expected.Error, expected.Field), (result.Code, result.Field));
            Assert.False(string.IsNullOrWhiteSpace(result.Message));
        }
        else
        {
            Assert.True(result.IsSuccess, $"{folder}/{name}: {result.Code} {result.Field} {result.Message}");
        }
    }

    private static void AssertParses(string name, byte[] body)
    {
        var result = BidRequestParser.Parse(body, new BidRequest());
        Assert.True(result.IsSuccess, $"{name}: {result.Code} {result.Message}");
    }

    private static void AssertNotJson(byte[] body)
    {
        var result = BidRequestParser.Parse(body, new BidRequest());
        Assert.Equal(BidRequestError.NotJson, result.Error);
        Assert.Null(result.Field);
    }

    private static void AssertSameInSegments(byte[] body)
    {
        var whole = new BidRequest();
        Assert.True(BidRequestParser.Parse(body, whole).IsSuccess);
        var expected = RequestDump.Of(whole);

        foreach (var size in new[] { 1, 2, 3, 7, 16, 61, 256 })
        {
            var split = new BidRequest();
            var result = BidRequestParser.Parse(Segments.Split(body, size), split);
            Assert.True(result.IsSuccess, $"segments of {size}: {result.Message}");
            Assert.Equal(expected, RequestDump.Of(split));
        }
    }

    [Fact]
    public void UnescapesStringsThatAreSplitAcrossSegments()
    {
        var body = Encoding.UTF8.GetBytes("""{"id":"a\"b\u00e9\\c","imp":[{"id":"x\/1"}],"site":{"domain":"caf\u00e9.example"}}""");
        var request = new BidRequest();
        Assert.True(BidRequestParser.Parse(Segments.Split(body, 3), request).IsSuccess);
        Assert.Equal("a\"bé\\c", request.Text.GetString(request.Id));
        Assert.Equal("x/1", request.Text.GetString(request.Imps[0].Id));
        Assert.Equal("café.example", request.Text.GetString(request.Site.Domain));
    }

    [Fact]
    public void ReadsPropertyNamesThatAreEscapedOrSplitAcrossSegments()
    {
        var body = Encoding.UTF8.GetBytes("""{"\u0069d":"esc","imp":[{"id":"1","b\u0061nner":{"w":300,"h":250}}],"device":{"geo":{"country":"USA"}}}""");
        foreach (var size in new[] { 1, 2, 5, body.Length })
        {
            var request = new BidRequest();
            Assert.True(BidRequestParser.Parse(Segments.Split(body, size), request).IsSuccess);
            Assert.Equal("esc", request.Text.GetString(request.Id));
            Assert.True(request.Imps[0].Banner.Allows(300, 250));
            Assert.Equal("USA", request.Text.GetString(request.Device.Geo.Country));
        }
    }

    [Theory]
    [InlineData("", BidRequestError.NotJson, null)]
    [InlineData("not json", BidRequestError.NotJson, null)]
    [InlineData("{\"id\":\"1\",", BidRequestError.NotJson, null)]
    [InlineData("[1,2]", BidRequestError.NotAnObject, null)]
    [InlineData("{\"id\":\"1\",\"imp\":[{\"id\":\"1\"}]} trailing", BidRequestError.NotJson, null)]
    [InlineData("{\"imp\":[{\"id\":\"1\"}]}", BidRequestError.MissingId, "id")]
    [InlineData("{\"id\":\"\",\"imp\":[{\"id\":\"1\"}]}", BidRequestError.MissingId, "id")]
    [InlineData("{\"id\":\"r\"}", BidRequestError.MissingImp, "imp")]
    [InlineData("{\"id\":\"r\",\"imp\":[]}", BidRequestError.MissingImp, "imp")]
    [InlineData("{\"id\":\"r\",\"imp\":[{\"banner\":{\"w\":1,\"h\":1}}]}", BidRequestError.ImpWithoutId, "imp[].id")]
    [InlineData("{\"id\":\"r\",\"imp\":[{\"id\":\"1\"},{\"id\":\"1\"}]}", BidRequestError.DuplicateImpId, "imp[].id")]
    [InlineData("{\"id\":7,\"imp\":[{\"id\":\"1\"}]}", BidRequestError.WrongType, "id")]
    [InlineData("{\"id\":\"r\",\"imp\":{\"id\":\"1\"}}", BidRequestError.WrongType, "imp")]
    [InlineData("{\"id\":\"r\",\"imp\":[{\"id\":\"1\",\"banner\":{\"w\":\"300\",\"h\":250}}]}", BidRequestError.WrongType, "imp[].banner.w")]
    [InlineData("{\"id\":\"r\",\"imp\":[{\"id\":\"1\",\"bidfloor\":\"0.5\"}]}", BidRequestError.WrongType, "imp[].bidfloor")]
    [InlineData("{\"id\":\"r\",\"tmax\":\"100\",\"imp\":[{\"id\":\"1\"}]}", BidRequestError.WrongType, "tmax")]
    [InlineData("{\"id\":\"r\",\"cur\":\"USD\",\"imp\":[{\"id\":\"1\"}]}", BidRequestError.WrongType, "cur")]
    [InlineData("{\"id\":\"r\",\"bcat\":[1],\"imp\":[{\"id\":\"1\"}]}", BidRequestError.WrongType, "bcat")]
    [InlineData("{\"id\":\"r\",\"imp\":[{\"id\":\"1\"}],\"device\":{\"geo\":{\"country\":840}}}", BidRequestError.WrongType, "device.geo.country")]
    [InlineData("{\"id\":\"r\",\"imp\":[{\"id\":\"1\"}],\"site\":\"example.com\"}", BidRequestError.WrongType, "site")]
    public void RefusesBadRequestsNamingTheProblem(string json, BidRequestError error, string? field)
    {
        var (result, _) = Parse(json);
        Assert.Equal(error, result.Error);
        Assert.Equal(field, result.Field);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
    }

    [Fact]
    public void RefusesNestingDeeperThanTheLimit()
    {
        var deep = "{\"id\":\"r\",\"imp\":[{\"id\":\"1\"}],\"ext\":" + string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" + new string('}', 40) + "}";
        var (result, _) = Parse(deep, new ParserLimits { MaxDepth = 32 });
        Assert.Equal(BidRequestError.TooDeep, result.Error);
        Assert.Contains("32", result.Message);

        var (shallow, _) = Parse(deep, new ParserLimits { MaxDepth = 64 });
        Assert.True(shallow.IsSuccess);
    }

    [Fact]
    public void RefusesMoreImpsThanTheLimit()
    {
        var imps = string.Join(",", Enumerable.Range(0, 5).Select(i => $"{{\"id\":\"{i}\"}}"));
        var (result, _) = Parse($"{{\"id\":\"r\",\"imp\":[{imps}]}}", new ParserLimits { MaxImps = 4 });
        Assert.Equal(BidRequestError.TooManyItems, result.Error);
        Assert.Equal("imp", result.Field);
    }

    [Fact]
    public void IgnoresTypeOdditiesInFieldsTheBidderDoesNotUse()
    {
        var (result, request) = Parse("""
            {"id":"r","imp":[{"id":"1","native":{"request":{"ver":"1.2"}},"instl":true,"secure":"1","tagid":5,
              "video":{"mimes":["video/mp4"],"companionad":{"banner":[{"w":1}]},"placement":"in-stream"}}],
             "device":{"ua":12,"lmt":"yes","geo":{"lat":"40.1","utcoffset":"-300"}},
             "user":{"yob":"1980","gender":7},"ext":{"anything":[1,{"b":null}]},"at":"first"}
            """);
        Assert.True(result.IsSuccess, result.Message);
        var imp = request.Imps[0];
        Assert.True(imp.Native.Present);
        Assert.False(imp.Native.Request.HasValue);
        Assert.True(imp.Video.Present);
        Assert.Equal(0, imp.Video.Placement);
        Assert.False(request.Device.Geo.UtcOffset.HasValue);
        Assert.Equal(2, request.AuctionType);
    }

    [Fact]
    public void ReadsRegulationsInBothTheir26AndTheir25ExtForms()
    {
        var (r26, req26) = Parse("""{"id":"r","imp":[{"id":"1"}],"regs":{"coppa":1,"gdpr":1,"us_privacy":"1YNN","gpp":"DBAA","ext":{"gdpr":0}}}""");
        Assert.True(r26.IsSuccess);
        Assert.True(req26.Regs.Coppa);
        Assert.Equal(1, req26.Regs.Gdpr);
        Assert.Equal("1YNN", req26.Text.GetString(req26.Regs.UsPrivacy));
        Assert.Equal("DBAA", req26.Text.GetString(req26.Regs.Gpp));

        var (r25, req25) = Parse("""{"id":"r","imp":[{"id":"1"}],"regs":{"ext":{"gdpr":1,"us_privacy":"1---"}},"source":{"tid":"t","ext":{"schain":{"complete":1,"nodes":[{"asi":"a"},{"asi":"b"}]}}}}""");
        Assert.True(r25.IsSuccess);
        Assert.Equal(1, req25.Regs.Gdpr);
        Assert.Equal("1---", req25.Text.GetString(req25.Regs.UsPrivacy));
        Assert.True(req25.Source.HasSchain);
        Assert.True(req25.Source.SchainComplete);
        Assert.Equal(2, req25.Source.SchainNodes);
    }

    [Fact]
    public void ReadsBannerFormatsVideoAudioAndDeals()
    {
        var (result, r) = Parse("""
            {"id":"r","tmax":120,"cur":["EUR","USD"],"bcat":["IAB25"],"badv":["bad.example"],"bapp":["com.bad"],
             "imp":[{"id":"1","banner":{"format":[{"w":300,"h":250},{"w":728,"h":90},{"wratio":16,"hratio":9}],"pos":1},"bidfloor":0.5,"bidfloorcur":"EUR","tagid":"top"},
                    {"id":"2","video":{"mimes":["video/mp4","video/webm"],"w":640,"h":360,"minduration":5,"maxduration":30,"plcmt":1},
                     "pmp":{"private_auction":1,"deals":[{"id":"d1","bidfloor":2,"bidfloorcur":"USD","at":1,"wseat":["s1"]}]}},
                    {"id":"3","audio":{"mimes":["audio/mp4"],"maxduration":30}}],
             "app":{"id":"a","bundle":"com.example.game","publisher":{"id":"p9"}},
             "device":{"devicetype":4,"os":"Android","make":"Samsung","geo":{"country":"DEU","region":"BE","utcoffset":60}}}
            """);
        Assert.True(result.IsSuccess, result.Message);
        Assert.Equal(120, r.Tmax);
        Assert.Equal(2, r.Cur.Count);
        var banner = r.Imps[0].Banner;
        Assert.Equal(2, banner.Formats.Count);
        Assert.True(banner.Allows(728, 90));
        Assert.Equal("EUR", r.Text.GetString(r.Imps[0].BidFloorCur));
        var video = r.Imps[1].Video;
        Assert.Equal(30, video.MaxDuration);
        Assert.Equal(1, video.Plcmt);
        Assert.True(r.Imps[1].Pmp.PrivateAuction);
        Assert.Equal("d1", r.Text.GetString(r.Imps[1].Pmp.Deals[0].Id));
        Assert.True(r.Imps[2].Audio.Present);
        Assert.Equal("com.example.game", r.Text.GetString(r.App.Bundle));
        Assert.Equal("p9", r.Text.GetString(r.PublisherId));
        Assert.Equal(60, r.Device.Geo.UtcOffset);
    }

    [Fact]
    public void ForgetsEverythingOfTheLastRequestAfterReset()
    {
        var request = new BidRequest();
        var first = Corpus.Read("requests", "app-banner-phone-usa-2.6.json");
        var second = Encoding.UTF8.GetBytes("""{"id":"only","imp":[{"id":"9"}]}""");
        Assert.True(BidRequestParser.Parse(first, request).IsSuccess);
        request.Reset();
        Assert.True(BidRequestParser.Parse(second, request).IsSuccess);

        var fresh = new BidRequest();
        BidRequestParser.Parse(second, fresh);
        Assert.Equal(RequestDump.Of(fresh), RequestDump.Of(request));
    }

    [Fact]
    public void AcceptsIntegersWrittenAsWholeFloats()
    {
        var (result, r) = Parse("""{"id":"r","imp":[{"id":"1","banner":{"w":300.0,"h":250}}]}""");
        Assert.True(result.IsSuccess);
        Assert.Equal(300, r.Imps[0].Banner.W);

        var (fraction, _) = Parse("""{"id":"r","imp":[{"id":"1","banner":{"w":300.5,"h":250}}]}""");
        Assert.Equal(BidRequestError.WrongType, fraction.Error);
    }
}
