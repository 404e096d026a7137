using System.Globalization;
using System.Net;
using System.Text.Json;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;
using BidEngine.Tests.Shared.Fuzz;
using CsCheck;
using Xunit.Abstractions;

namespace BidEngine.Server.Tests.Fuzz;

/// <summary>
/// Mutated fixtures POSTed to the real server over loopback, plain and gzip-encoded: never a 5xx
/// or a dropped connection, a refusal is the documented JSON error and agrees with the parser, a
/// bid answers the request's own id and imps, no request ends in the endpoint's catch-all (the
/// <c>failed</c> counter), and the bidder still bids afterwards. How to run it longer: see the
/// comment at the top of tests/BidEngine.OpenRtb.Tests/Fuzz/ParserFuzzTests.cs.
/// </summary>
public sealed class HttpFuzzTests(BidderHost host, ITestOutputHelper output) : IClassFixture<BidderHost>
{
    private const long SuiteIterations = 300;

    // The server's defaults (HttpOptions): bodies over these get a 413 before the parser sees them.
    private const int MaxBodyBytes = 64 * 1024;
    private const int MaxDecompressedBytes = 256 * 1024;

    // Kestrel's own backstop (KestrelLimits: twice MaxBodyBytes): past it Kestrel cannot drain an unread body and closes the connection.
    private const int KestrelMaxBodyBytes = 2 * MaxBodyBytes;
    private static readonly ParserLimits Limits = new() { MaxDepth = 32, MaxImps = 64 };

    [Fact]
    public async Task NoMutationOfAFixtureGetsA5xxOrBreaksTheBidder()
    {
        var seeds = FuzzSeeds.All;
        Assert.True(seeds.Count > 0, "no fuzz seeds: corpus/requests and corpus/offspec are empty and the inline seeds are gone");
        var failedBefore = await FailedCount();

        var tally = new FuzzTally();
        await FuzzGen.Cases(seeds.Count).SampleAsync(
            async fuzz => tally.Add(await PostAndCheck(fuzz)),
            writeLine: output.WriteLine,
            seed: FuzzSettings.Seed,
            iter: FuzzSettings.Iterations(SuiteIterations),
            print: FuzzSeeds.Describe);

        output.WriteLine($"{seeds.Count} seeds ({FuzzSeeds.FromCorpus} from corpus/); answers: {tally}");
        if (tally.Total >= 100)
        {
            // Some cases must get through to the pipeline, or the checks on answers checked nothing.
            Assert.True(tally["200"] + tally["204"] > 0, $"no request was answered 200 or 204: {tally}");
        }

        // The endpoint answers an exception it did not expect with a 204: only this counter shows it.
        Assert.Equal(failedBefore, await FailedCount());
        using var good = await host.Client.SendAsync(BidRequests.Post(BidRequests.Banner));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        using var answer = JsonDocument.Parse(await good.Content.ReadAsByteArrayAsync());
        Assert.Equal("req-1", answer.RootElement.GetProperty("id").GetString());
    }

    /// <summary>Sends one case and checks the answer; returns the status (with the error code of a refusal).</summary>
    private async Task<string> PostAndCheck(FuzzCase fuzz)
    {
        var body = Mutator.Apply(FuzzSeeds.All[fuzz.SeedIndex].Body, fuzz.Steps);
        var wire = Mutator.Encode(body, fuzz.Gzip, fuzz.GzipArg);
        var gzip = fuzz.Gzip != GzipMode.None;

        HttpResponseMessage response;
        try
        {
            response = await host.Client.SendAsync(BidRequests.Post(wire, gzip ? "gzip" : null));
        }
        catch (HttpRequestException) when (wire.Length > KestrelMaxBodyBytes)
        {
            // Refused by its Content-Length and the connection closed while the client was still
            // sending: the client may see its send fail instead of the 413. The next request must still
            // work (it goes out on a new connection, checked by every later case and at the end).
            return "closed";
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"connection error: {e.Message}", e);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var content = await response.Content.ReadAsByteArrayAsync();
            Assert.True(status < 500, $"{status} answered");
            Assert.True(status is 200 or 204 or 400 or 413, $"unexpected status {status}");

            var outcome = status.ToString(CultureInfo.InvariantCulture);
            if (status >= 400)
            {
                outcome += " " + CheckRefusal(response, content);
            }
            else if (status == 200)
            {
                CheckBid(body, content);
            }

            // Where the bytes the parser sees are known, the answer must be the parser's own verdict.
            if (wire.Length > MaxBodyBytes)
            {
                Assert.Equal(413, status);
                return outcome;
            }

            if (fuzz.Gzip is GzipMode.None or GzipMode.Gzip)
            {
                if (fuzz.Gzip == GzipMode.Gzip && body.Length > MaxDecompressedBytes)
                {
                    Assert.Equal(413, status);
                    return outcome;
                }

                var verdict = BidRequestParser.Parse(body, new BidRequest(), Limits);
                if (verdict.IsSuccess)
                {
                    Assert.True(status is 200 or 204, $"the parser accepts the body but the server answered {status}: {Text(content)}");
                }
                else
                {
                    Assert.Equal(400, status);
                    using var error = JsonDocument.Parse(content);
                    Assert.Equal(verdict.Code, error.RootElement.GetProperty("error").GetString());
                    Assert.Equal(verdict.Field, error.RootElement.TryGetProperty("field", out var field) ? field.GetString() : null);
                }
            }
            else if (fuzz.Gzip == GzipMode.GzipHeaderOnly && body.Length > 0 && body[0] != 0x1F)
            {
                // Says gzip, sends plain text: not gzip data.
                Assert.Equal(400, status);
            }

            return outcome;
        }
    }

    /// <summary>A 4xx carries <c>{"error","field","message"}</c>: a code, the field when the refusal is about one, and a readable message.</summary>
    private static string CheckRefusal(HttpResponseMessage response, byte[] content)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var error = JsonDocument.Parse(content);
        var root = error.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Matches("^[a-z_]+$", root.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("message").GetString()), Text(content));
        if (root.TryGetProperty("field", out var field))
        {
            Assert.False(string.IsNullOrEmpty(field.GetString()), Text(content));
        }

        foreach (var property in root.EnumerateObject())
        {
            Assert.Contains(property.Name, new[] { "error", "field", "message" });
        }

        return root.GetProperty("error").GetString()!;
    }

    /// <summary>A 200 is a BidResponse for this request: its id, and bids only on its imps, each priced.</summary>
    private static void CheckBid(byte[] body, byte[] content)
    {
        var reference = ReferenceRequest.Read(body);
        Assert.True(reference is not null, "200 for a body JsonDocument does not read as an object");
        using var answer = JsonDocument.Parse(content);
        var root = answer.RootElement;
        Assert.Equal(reference.Id, root.GetProperty("id").GetString());
        if (!root.TryGetProperty("seatbid", out var seats))
        {
            // NoBidWithBody's form: {"id":..,"nbr":N}.
            Assert.Equal(JsonValueKind.Number, root.GetProperty("nbr").ValueKind);
            return;
        }

        var impIds = reference.Imps.Select(i => i.Id).ToHashSet();
        foreach (var seat in seats.EnumerateArray())
        {
            foreach (var bid in seat.GetProperty("bid").EnumerateArray())
            {
                Assert.Contains(bid.GetProperty("impid").GetString(), impIds);
                Assert.False(string.IsNullOrEmpty(bid.GetProperty("id").GetString()));
                Assert.True(bid.GetProperty("price").GetDouble() > 0, "a bid without a price");
            }
        }
    }

    private async Task<double> FailedCount() =>
        PrometheusText.Value(await host.Management.GetStringAsync("/metrics"), "bidengine_answers_total{outcome=\"failed\"}");

    private static string Text(byte[] content) => System.Text.Encoding.UTF8.GetString(content);
}
