using System.Text;
using System.Text.Json;
using BidEngine.Core.Campaigns;

namespace BidEngine.Core.Tests.CampaignFile;

public sealed class CampaignLoaderTests
{
    private const string Two = """
        // comments and trailing commas are allowed, as before
        {"$schema": "./campaigns.schema.json", "notes": {"a": [1, 2, {"b": null}]},
         "campaigns": [
          {"id": "a", "seat": "s", "adomain": ["adv.example"], "cat": ["IAB1"], "valuePerClick": 1, "maxBidCpm": 5, "ctrPrior": 0.01,
           "targeting": {"countries": ["usa"], "deviceTypes": [4], "os": ["ios"], "block": {"categories": ["IAB25"]}},
           "budget": {"daily": 100}, "pacing": "even", "dayparting": {"mon": [9]}, "flight": {"start": "2026-01-01T00:00:00Z"},
           "creatives": [{"id": "a-1", "kind": "banner", "w": 300, "h": 250, "adm": "<img src=\"x\">"}]},
          {"id": "b", "seat": "s", "adomain": ["adv.example"], "cat": ["IAB1"], "valuePerClick": 1, "maxBidCpm": 5, "ctrPrior": 0.01,
           "targeting": {"countries": ["usa"], "deviceTypes": [4], "os": ["ios"], "block": {"categories": ["IAB25"]}},
           "dayparting": {"mon": [9]}, "flight": {"start": "2026-01-01T00:00:00Z"},
           "creatives": [{"id": "b-1", "kind": "banner", "w": 300, "h": 250, "adm": "<img src=\"x\">"},
                         {"id": "b-2", "kind": "video", "w": 640, "h": 360, "mimes": ["video/mp4"], "duration": 15, "nurl": "https://n.example/v",},],},
         ],
        }
        """;

    private static IReadOnlyList<Campaign> Load(string json, int chunk = int.MaxValue) =>
        CampaignLoader.Load(new Dribble(Encoding.UTF8.GetBytes(json), chunk), "campaigns.json");

    [Fact]
    public void ReadsTheSameCampaignsWhateverPiecesTheStreamHandsOut()
    {
        var whole = Load(Two);
        foreach (var chunk in new[] { 1, 2, 7, 64 })
        {
            var pieces = Load(Two, chunk);
            Assert.Equal(whole.Select(Describe), pieces.Select(Describe));
        }

        Assert.Equal(["a", "b"], whole.Select(c => c.Id));
        Assert.Equal(["usa"], whole[0].Targeting.Countries);
        Assert.Equal(["USA"], whole[0].Rules.Targeting.Allow.Countries);
        Assert.Equal(100m, whole[0].Rules.Budget.Daily);
        Assert.Equal("<img src=\"x\">", whole[1].Creatives[0].Adm);
        Assert.Equal("https://n.example/v", whole[1].Creatives[1].Nurl);
        Assert.Equal(["video/mp4"], whole[1].Creatives[1].Mimes);
    }

    [Fact]
    public void CampaignsOfOneFileShareWhatTheyHoldAlike()
    {
        var both = Load(Two);
        var (a, b) = (both[0], both[1]);

        Assert.Same(a.Adomain, b.Adomain);
        Assert.Same(a.AdomainUtf8, b.AdomainUtf8);
        Assert.Same(a.CategoriesUtf8, b.CategoriesUtf8);
        Assert.Same(a.SeatUtf8, b.SeatUtf8);
        Assert.Same(a.Targeting, b.Targeting);
        Assert.Same(a.Rules.Targeting, b.Rules.Targeting);
        Assert.Same(a.Rules.Dayparting, b.Rules.Dayparting);
        Assert.Same(a.Rules.Flight, b.Rules.Flight);
        Assert.Same(a.Compiled, b.Compiled);
        Assert.Same(a.Creatives[0].AdmUtf8, b.Creatives[0].AdmUtf8);
        Assert.NotSame(a.IdUtf8, b.IdUtf8);
    }

    [Fact]
    public void OnlyAnEvenPacedCampaignWithADailyBudgetHasAPacer()
    {
        var campaigns = Load(Two);

        Assert.NotNull(campaigns[0].Pacer);
        Assert.Null(campaigns[1].Pacer);
    }

    [Fact]
    public void ACampaignLargerThanTheFirstBufferLoads()
    {
        var markup = new string('m', 300_000);
        var json = Two.Replace("<img src=\\\"x\\\">", markup, StringComparison.Ordinal);

        var campaigns = Load(json, chunk: 4096);

        Assert.Equal(markup, campaigns[0].Creatives[0].Adm);
        Assert.Same(campaigns[0].Creatives[0].AdmUtf8, campaigns[1].Creatives[0].AdmUtf8);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("""{"campaigns": null}""")]
    [InlineData("""{"campaigns": []}""")]
    [InlineData("""{"Campaigns": []}""")]
    [InlineData("""{"x": 1}""")]
    public void AFileWithoutCampaignsLoadsNone(string json)
    {
        if (json == "null")
        {
            Assert.Contains("empty campaign file", Assert.Throws<InvalidDataException>(() => Load(json)).Message, StringComparison.Ordinal);
            return;
        }

        Assert.Empty(Load(json));
    }

    [Fact]
    public void ARepeatedCampaignsPropertyReplacesTheOneBefore()
    {
        const string Other = """{"id": "z", "valuePerClick": 1, "maxBidCpm": 5, "ctrPrior": 0.01, "creatives": [{"id": "z-1", "kind": "native", "adm": "{}"}]}""";
        var json = Two.Replace("\"campaigns\": [", "\"campaigns\": [" + Other + "], \"campaigns\": [", StringComparison.Ordinal);

        Assert.Equal(["a", "b"], Load(json, chunk: 3).Select(c => c.Id));
    }

    [Theory]
    [InlineData("""{"campaigns": [{"id": "a", "valuePerClick": 1, "maxBidCpm": 5, "ctrPrior": 0.01, "creatives": [""")]
    [InlineData("""{"campaigns": []} x""")]
    [InlineData("""[1]""")]
    [InlineData("")]
    public void BrokenJsonIsAJsonError(string json)
    {
        Assert.ThrowsAny<JsonException>(() => Load(json));
        Assert.ThrowsAny<JsonException>(() => Load(json, chunk: 5));
    }

    [Theory]
    [InlineData("""{"campaigns": [5]}""", null)]
    [InlineData("""{"campaigns": [null]}""", "campaigns.json: campaigns[0]: id must be a string")]
    [InlineData("""{"Campaigns": [{"id": "a"}]}""", "campaigns.json: campaigns must be an array")]
    [InlineData("""{"campaigns": [{"id": "a", "valuePerClick": 1, "maxBidCpm": 5, "ctrPrior": 0.01, "creatives": []}]}""", "campaigns.json: campaign 'a': has no creatives")]
    [InlineData("""{"campaigns": [{"id": "a", "valuePerClick": 1, "maxBidCpm": 5, "ctrPrior": 0.01, "pacing": "fast", "creatives": []}]}""", "campaigns.json: campaign 'a': pacing must be")]
    public void ABadCampaignIsRefusedNamingIt(string json, string? message)
    {
        var error = Record.Exception(() => Load(json, chunk: 3));

        if (message is null)
        {
            Assert.IsAssignableFrom<JsonException>(error);
            return;
        }

        Assert.IsType<InvalidDataException>(error);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLongStandingFieldsAreMatchedWithoutRegardToCaseAndTheLastOfARepeatedOneWins()
    {
        var campaigns = Load("""
            {"campaigns": [{"id": "a", "Seat": "s1", "seat": "s2", "VALUEPERCLICK": 2, "maxBidCpm": 5, "ctrPrior": 0.01, "unknown": {"x": [1]},
              "Targeting": {"Countries": ["DEU"], "deviceTypes": null}, "Creatives": [{"Id": "c", "KIND": "banner", "W": 300, "h": 250, "Adm": "x"}]}]}
            """);

        Assert.Equal("a", campaigns[0].Id);
        Assert.Equal("s2", campaigns[0].Seat);
        Assert.Equal(2, campaigns[0].ValuePerClick);
        Assert.Equal(["DEU"], campaigns[0].Targeting.Countries);
        Assert.Equal(300, campaigns[0].Creatives[0].W);
    }

    [Theory]
    [InlineData("\"valuePerClick\": \"1\"", "campaigns[0].valuePerClick: must be a number (found string)")]
    [InlineData("\"adomain\": [null]", "campaigns[0].adomain[0]: must be a string (found null)")]
    [InlineData("\"targeting\": {\"deviceTypes\": [4.5]}", "campaigns[0].targeting.deviceTypes[0]: must be a whole number (found number)")]
    [InlineData("\"creatives\": [{\"id\": \"c\", \"kind\": \"banner\", \"w\": \"300\"}]", "campaigns[0].creatives[0].w: must be a whole number (found string)")]
    [InlineData("\"creatives\": [null]", "campaigns[0].creatives[0]: must be an object (found null)")]
    public void AFieldOfTheWrongTypeIsAJsonErrorNamingIt(string field, string message)
    {
        var json = $$"""{"campaigns": [{"id": "a", "valuePerClick": 1, "maxBidCpm": 5, "ctrPrior": 0.01, {{field}}}]}""";

        var error = Assert.ThrowsAny<JsonException>(() => Load(json));

        Assert.Equal("campaigns.json: " + message, error.Message);
    }

    [Fact]
    public void TwoCampaignsWithOneIdAreRefused()
    {
        var json = Two.Replace("\"id\": \"b\"", "\"id\": \"a\"", StringComparison.Ordinal);

        Assert.Contains("every campaign needs a unique id (found 'a')", Assert.Throws<InvalidDataException>(() => Load(json)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AReloadTakesOverTheCampaignsWhoseTextIsUnchangedAndReadsTheRest()
    {
        var before = Load(Two);
        var changed = Two.Replace("\"id\": \"b\", \"seat\": \"s\", \"adomain\": [\"adv.example\"], \"cat\": [\"IAB1\"], \"valuePerClick\": 1, \"maxBidCpm\": 5", "\"id\": \"b\", \"seat\": \"s\", \"adomain\": [\"adv.example\"], \"cat\": [\"IAB1\"], \"valuePerClick\": 1, \"maxBidCpm\": 7", StringComparison.Ordinal);

        var after = CampaignLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes(changed)), "campaigns.json", before);

        Assert.Same(before[0], after[0]);
        Assert.NotSame(before[1], after[1]);
        Assert.Equal(7, after[1].MaxBidCpm);
        Assert.Same(before[0].Pacer, after[0].Pacer);
        var again = CampaignLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes(changed)), "campaigns.json", after);
        Assert.Equal(after, again);
    }

    [Fact]
    public void AnUnchangedCampaignWrittenTwiceIsStillTwoCampaignsWithOneId()
    {
        var before = Load(Two);
        var start = Two.IndexOf("{\"id\": \"a\"", StringComparison.Ordinal);
        var end = Two.IndexOf("{\"id\": \"b\"", StringComparison.Ordinal);
        var twice = Two.Insert(end, Two[start..end]);

        var error = Assert.Throws<InvalidDataException>(() => CampaignLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes(twice)), "campaigns.json", before));

        Assert.Contains("every campaign needs a unique id (found 'a')", error.Message, StringComparison.Ordinal);
    }

    private static string Describe(Campaign c) =>
        $"{c.Id}|{c.Seat}|{string.Join(',', c.Adomain)}|{string.Join(',', c.Categories)}|{c.Rules}|{string.Join(';', c.Creatives.Select(cr => $"{cr.Id},{cr.Kind},{cr.W}x{cr.H},{cr.Adm},{cr.Nurl},{string.Join('/', cr.Mimes)},{cr.DurationSeconds}"))}";

    /// <summary>A stream that hands out at most <c>chunk</c> bytes a read, as a socket or a slow disk may.</summary>
    private sealed class Dribble(byte[] bytes, int chunk) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, chunk), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
