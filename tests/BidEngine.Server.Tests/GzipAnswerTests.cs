using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BidEngine.Server.Tests;

/// <summary>Answers compressed with a pooled zlib state decompress, over real HTTP, to the answer sent plain.</summary>
public sealed class GzipAnswerTests(BidderHost host) : IClassFixture<BidderHost>
{
    [Fact]
    public async Task GzipAnswersDecompressToThePlainAnswerForEveryCorpusRequest()
    {
        var compared = 0;

        // Twice over the corpus, so the pooled encoders serve many answers one after the other: an
        // answer that leaned on the previous one's bytes would not decompress on its own.
        for (var round = 0; round < 2; round++)
        {
            foreach (var file in Corpus.Files("requests"))
            {
                var body = await File.ReadAllBytesAsync(file);
                using var plain = await host.Client.SendAsync(BidRequests.Post(body));
                var gzipRequest = BidRequests.Post(body);
                gzipRequest.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
                using var gzip = await host.Client.SendAsync(gzipRequest);

                Assert.Equal(plain.StatusCode, gzip.StatusCode);
                if (plain.StatusCode != HttpStatusCode.OK)
                {
                    continue;
                }

                Assert.Equal("gzip", Assert.Single(gzip.Content.Headers.ContentEncoding));
                Assert.Contains("Accept-Encoding", gzip.Headers.Vary);
                Assert.Empty(plain.Content.Headers.ContentEncoding);
                var compressed = await gzip.Content.ReadAsByteArrayAsync();
                Assert.Equal(new byte[] { 0x1f, 0x8b }, compressed[..2]);
                Assert.Equal(WithoutBidIds(await plain.Content.ReadAsByteArrayAsync()), WithoutBidIds(Gunzip(compressed)));
                compared++;
            }
        }

        Assert.True(compared > 10, $"only {compared} answers compared");
    }

    [Fact]
    public async Task RefusedGzipIsAnsweredPlain()
    {
        var request = BidRequests.Post(BidRequests.Banner);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip;q=0, identity");
        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("req-1", answer.RootElement.GetProperty("id").GetString());
    }

    private static byte[] Gunzip(byte[] compressed)
    {
        using var input = new MemoryStream(compressed);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>The answer's JSON with each bid's own id (a counter, new per answer) taken out.</summary>
    private static string WithoutBidIds(byte[] answer)
    {
        var root = JsonNode.Parse(answer)!.AsObject();
        foreach (var seat in root["seatbid"]!.AsArray())
        {
            foreach (var bid in seat!["bid"]!.AsArray())
            {
                bid!.AsObject().Remove("id");
            }
        }

        return root.ToJsonString();
    }
}
