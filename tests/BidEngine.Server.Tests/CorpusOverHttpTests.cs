using System.IO.Compression;
using System.Net;
using System.Text.Json;

namespace BidEngine.Server.Tests;

/// <summary>The OpenRTB corpora sent through the real endpoint: the repository's own always, the external one when asked for.</summary>
public sealed class CorpusOverHttpTests(BidderHost host) : IClassFixture<BidderHost>
{
    public static TheoryData<string> Requests => Corpus.Names("requests");

    public static TheoryData<string> Malformed => Corpus.Names("malformed");

    public static TheoryData<string> Offspec => Corpus.Names("offspec");

    public static TheoryData<string> ExternalRequests => Corpus.ExternalNames("requests");

    public static TheoryData<string> ExternalMalformed => Corpus.ExternalNames("malformed");

    public static TheoryData<string> ExternalOffspec => Corpus.ExternalNames("offspec");

    public static TheoryData<string, string> Fixtures => CorpusExpectations.Rows();

    [Theory]
    [MemberData(nameof(Requests))]
    public Task AnswersEveryRequestWithAValidBidResponseOrNoBid(string name) => AssertValidAnswerOrNoBid(name, Corpus.Read("requests", name));

    [ExternalCorpusTheory]
    [MemberData(nameof(ExternalRequests))]
    public Task AnswersEveryExternalRequestWithAValidBidResponseOrNoBid(string name) => AssertValidAnswerOrNoBid(name, Corpus.ReadExternal("requests", name));

    [Theory]
    [MemberData(nameof(Malformed))]
    public Task RefusesEveryMalformedFileWith400AndAReason(string name) => AssertNotJson(Corpus.Read("malformed", name));

    [ExternalCorpusTheory]
    [MemberData(nameof(ExternalMalformed))]
    public Task RefusesEveryMalformedExternalFileWith400AndAReason(string name) => AssertNotJson(Corpus.ReadExternal("malformed", name));

    [Theory]
    [MemberData(nameof(Offspec))]
    public Task AnswersOffSpecRequestsWithoutA5xx(string name) => AssertAnswerWithoutA5xx(name, Corpus.Read("offspec", name));

    [ExternalCorpusTheory]
    [MemberData(nameof(ExternalOffspec))]
    public Task AnswersExternalOffSpecRequestsWithoutA5xx(string name) => AssertAnswerWithoutA5xx(name, Corpus.ReadExternal("offspec", name));

    /// <summary>The answer corpus/README.md promises for each fixture, sent as it says (plain or gzip).</summary>
    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task GivesEveryFixtureTheAnswerTheCorpusReadmeStates(string folder, string name)
    {
        var expected = CorpusExpectations.Of(folder, name);
        var body = Corpus.Read(folder, name);
        using var response = await host.Client.SendAsync(expected.Gzip ? BidRequests.Post(Gzip(body), "gzip") : BidRequests.Post(body));
        var answer = await response.Content.ReadAsByteArrayAsync();

        Assert.True((int)response.StatusCode == expected.Status, $"{expected}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(answer)}");
        if (expected.Status == 400)
        {
            using var error = JsonDocument.Parse(answer);
            var root = error.RootElement;
            Assert.Equal(expected.Error, root.GetProperty("error").GetString());
            Assert.Equal(expected.Field, root.TryGetProperty("field", out var field) ? field.GetString() : null);
            Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("message").GetString()));
        }
        else if (expected.Status == 200)
        {
            using var request = JsonDocument.Parse(body);
            using var bidResponse = JsonDocument.Parse(answer);
            BidResponseRules.AssertValidAnswer(request.RootElement, bidResponse.RootElement);
            var imps = BidImps(answer).Order(StringComparer.Ordinal).ToList();
            Assert.NotEmpty(imps);
            if (expected.BidImps is not null)
            {
                Assert.Equal(expected.BidImps.Order(StringComparer.Ordinal).ToList(), imps);
            }
        }
        else
        {
            Assert.Empty(answer);
        }
    }

    [Fact]
    public async Task SendsTheGzipFixtureCompressedAndGetsTheSameAnswerAsPlain()
    {
        var gzip = Assert.Single(CorpusExpectations.All.Values, e => e.Gzip);
        var body = Corpus.Read(gzip.Folder, gzip.Name);

        using var compressed = await host.Client.SendAsync(BidRequests.Post(Gzip(body), "gzip"));
        using var plain = await host.Client.SendAsync(BidRequests.Post(body));

        Assert.Equal(HttpStatusCode.OK, compressed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(BidImps(await plain.Content.ReadAsByteArrayAsync()), BidImps(await compressed.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task BidsOnMostOfTheCorpusWithTheSampleCampaigns()
    {
        var bids = 0;
        var files = Corpus.Files("requests").ToList();
        foreach (var file in files)
        {
            using var response = await host.Client.SendAsync(BidRequests.Post(await File.ReadAllBytesAsync(file)));
            bids += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }

        // The default start must actually bid on the sample requests, not just answer 204.
        Assert.True(bids * 2 > files.Count, $"{bids} bids on {files.Count} requests");
    }

    [ExternalCorpusTheory]
    [InlineData("requests")]
    public async Task BidsOnMostOfTheExternalCorpusWithTheSampleCampaigns(string folder)
    {
        var bids = 0;
        var files = Corpus.ExternalFiles(folder).ToList();
        foreach (var file in files)
        {
            using var response = await host.Client.SendAsync(BidRequests.Post(await File.ReadAllBytesAsync(file)));
            bids += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }

        Assert.True(bids * 2 > files.Count, $"{bids} bids on {files.Count} requests");
    }

    private async Task AssertValidAnswerOrNoBid(string name, byte[] body)
    {
        using var response = await host.Client.SendAsync(BidRequests.Post(body));

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NoContent, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("2.6", response.Headers.GetValues("x-openrtb-version").Single());
        if (response.StatusCode == HttpStatusCode.OK)
        {
            using var request = JsonDocument.Parse(body);
            using var answer = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
            BidResponseRules.AssertValidAnswer(request.RootElement, answer.RootElement);
        }
    }

    private async Task AssertNotJson(byte[] body)
    {
        using var response = await host.Client.SendAsync(BidRequests.Post(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("not_json", error.RootElement.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.RootElement.GetProperty("message").GetString()));
    }

    private async Task AssertAnswerWithoutA5xx(string name, byte[] body)
    {
        using var response = await host.Client.SendAsync(BidRequests.Post(body));

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NoContent or HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.OK)
        {
            using var request = JsonDocument.Parse(body);
            using var answer = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
            BidResponseRules.AssertValidAnswer(request.RootElement, answer.RootElement);
        }
        else if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            using var error = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
            Assert.False(string.IsNullOrWhiteSpace(error.RootElement.GetProperty("message").GetString()));
        }
    }

    private static List<string> BidImps(byte[] answer)
    {
        using var doc = JsonDocument.Parse(answer);
        return doc.RootElement.GetProperty("seatbid").EnumerateArray()
            .SelectMany(seat => seat.GetProperty("bid").EnumerateArray())
            .Select(bid => bid.GetProperty("impid").GetString()!)
            .ToList();
    }

    private static byte[] Gzip(byte[] body)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(body);
        }

        return output.ToArray();
    }
}
