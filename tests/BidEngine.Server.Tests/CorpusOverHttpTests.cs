using System.Net;
using System.Text.Json;

namespace BidEngine.Server.Tests;

/// <summary>The shared OpenRTB corpus sent through the real endpoint.</summary>
public sealed class CorpusOverHttpTests(BidderHost host) : IClassFixture<BidderHost>
{
    public static TheoryData<string> Requests => Corpus.Names("requests");

    public static TheoryData<string> Malformed => Corpus.Names("malformed");

    public static TheoryData<string> Offspec => Corpus.Names("offspec");

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task AnswersEveryRequestWithAValidBidResponseOrNoBid(string name)
    {
        var body = Corpus.Read("requests", name);
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

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task RefusesEveryMalformedFileWith400AndAReason(string name)
    {
        using var response = await host.Client.SendAsync(BidRequests.Post(Corpus.Read("malformed", name)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("not_json", error.RootElement.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.RootElement.GetProperty("message").GetString()));
    }

    [Theory]
    [MemberData(nameof(Offspec))]
    public async Task AnswersOffSpecRequestsWithoutA5xx(string name)
    {
        var body = Corpus.Read("offspec", name);
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
}
