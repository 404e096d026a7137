using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;

namespace BidEngine.Server.Tests;

/// <summary>Bad input gets a 4xx naming the problem, and the bidder keeps serving.</summary>
public sealed class BadInputTests(BidderHost host) : IClassFixture<BidderHost>
{
    [Theory]
    [InlineData("this is not json", "not_json", null)]
    [InlineData("", "not_json", null)]
    [InlineData("[]", "not_an_object", null)]
    [InlineData("{\"imp\":[{\"id\":\"1\"}]}", "missing_id", "id")]
    [InlineData("{\"id\":\"r\"}", "missing_imp", "imp")]
    [InlineData("{\"id\":\"r\",\"imp\":[]}", "missing_imp", "imp")]
    [InlineData("{\"id\":\"r\",\"imp\":[{\"banner\":{\"w\":300,\"h\":250}}]}", "imp_without_id", "imp[].id")]
    [InlineData("{\"id\":\"r\",\"imp\":[{\"id\":\"1\"},{\"id\":\"1\"}]}", "duplicate_imp_id", "imp[].id")]
    [InlineData("{\"id\":\"r\",\"imp\":[{\"id\":\"1\",\"banner\":{\"w\":\"wide\",\"h\":250}}]}", "wrong_type", "imp[].banner.w")]
    [InlineData("{\"id\":\"r\",\"imp\":[{\"id\":\"1\",\"bidfloor\":\"1\"}]}", "wrong_type", "imp[].bidfloor")]
    public async Task RefusesBadRequestsWith400NamingTheProblem(string body, string code, string? field)
    {
        using var response = await host.Client.SendAsync(BidRequests.Post(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var error = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(code, error.RootElement.GetProperty("error").GetString());
        if (field is not null)
        {
            Assert.Equal(field, error.RootElement.GetProperty("field").GetString());
        }

        Assert.False(string.IsNullOrWhiteSpace(error.RootElement.GetProperty("message").GetString()));
        await AssertStillBids();
    }

    [Fact]
    public async Task RefusesNestingDeeperThanTheConfiguredLimit()
    {
        var deep = "{\"id\":\"r\",\"imp\":[{\"id\":\"1\"}],\"ext\":" + string.Concat(Enumerable.Repeat("[", 100)) + string.Concat(Enumerable.Repeat("]", 100)) + "}";
        using var response = await host.Client.SendAsync(BidRequests.Post(deep));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("too_deep", await response.Content.ReadAsStringAsync());
        await AssertStillBids();
    }

    [Fact]
    public async Task RefusesABodyOverTheSizeLimitWith413()
    {
        var padding = new string(' ', 70 * 1024);
        using var response = await host.Client.SendAsync(BidRequests.Post("{\"id\":\"r\",\"imp\":[{\"id\":\"1\"}]" + padding + "}"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("too_large", await response.Content.ReadAsStringAsync());
        await AssertStillBids();
    }

    [Fact]
    public async Task RefusesAChunkedBodyOverTheSizeLimitWith413()
    {
        var padding = new string(' ', 70 * 1024);
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"id\":\"r\",\"imp\":[{\"id\":\"1\"}]" + padding + "}")));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/openrtb2/bid") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertStillBids();
    }

    [Fact]
    public async Task AcceptsAGzipRequestBody()
    {
        using var response = await host.Client.SendAsync(BidRequests.Post(Gzip(Encoding.UTF8.GetBytes(BidRequests.Banner)), "gzip"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("req-1", answer.RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task RefusesABodyThatIsNotTheGzipItClaims()
    {
        using var response = await host.Client.SendAsync(BidRequests.Post(Encoding.UTF8.GetBytes(BidRequests.Banner), "gzip"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("gzip", await response.Content.ReadAsStringAsync());
        await AssertStillBids();
    }

    [Fact]
    public async Task RefusesAGzipBombWith413()
    {
        var bomb = Gzip(Encoding.UTF8.GetBytes("{\"id\":\"r\",\"imp\":[{\"id\":\"1\"}]" + new string(' ', 2 * 1024 * 1024) + "}"));
        Assert.True(bomb.Length < 64 * 1024);
        using var response = await host.Client.SendAsync(BidRequests.Post(bomb, "gzip"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertStillBids();
    }

    [Fact]
    public async Task HoldsTheDecompressionCapEvenWhenItIsNotAPowerOfTwo()
    {
        await using var capped = BidderHost.With("--BidEngine:Http:MaxDecompressedBytes=100000");
        await capped.InitializeAsync();

        // Decompresses to about 150 kB: over the 100,000-byte cap although under the pooled array's 131,072.
        var body = Gzip(Encoding.UTF8.GetBytes("{\"id\":\"r\",\"imp\":[{\"id\":\"1\"}]" + new string(' ', 150_000) + "}"));
        using var response = await capped.Client.SendAsync(BidRequests.Post(body, "gzip"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task RefusesAnUnsupportedContentEncodingWith415()
    {
        using var response = await host.Client.SendAsync(BidRequests.Post(Encoding.UTF8.GetBytes(BidRequests.Banner), "br"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await AssertStillBids();
    }

    [Fact]
    public async Task CompressesTheAnswerWhenTheExchangeAcceptsGzip()
    {
        using var request = BidRequests.Post(BidRequests.Banner);
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gzip", response.Content.Headers.ContentEncoding.Single());
        await using var gunzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var answer = await JsonDocument.ParseAsync(gunzip);
        Assert.Equal("req-1", answer.RootElement.GetProperty("id").GetString());
    }

    private async Task AssertStillBids()
    {
        using var response = await host.Client.SendAsync(BidRequests.Post(BidRequests.Banner));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
