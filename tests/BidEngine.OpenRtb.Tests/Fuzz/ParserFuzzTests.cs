// Fuzzing the parser and the HTTP endpoint
// ----------------------------------------
// The suite runs a short fuzz (about 3,000 parser cases and 300 HTTP requests). A longer run by hand,
// from the repository root:
//
//   BIDENGINE_FUZZ_ITERATIONS=200000 dotnet test tests/BidEngine.OpenRtb.Tests -c Release --filter FullyQualifiedName~Fuzz
//   BIDENGINE_FUZZ_ITERATIONS=5000 dotnet test tests/BidEngine.Server.Tests -c Release --filter FullyQualifiedName~Fuzz
//
// A failure prints the CsCheck seed of the smallest failing case it found and the case itself
// (seed file, mutation steps, body). Replay it with BIDENGINE_FUZZ_SEED=<seed> (one case unless
// BIDENGINE_FUZZ_ITERATIONS is also set). Seeds are every *.json under corpus/requests and
// corpus/offspec plus a few written in tests/Shared/Fuzz/FuzzSeeds.cs; a seed replays the same case
// as long as that list is unchanged.
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;
using BidEngine.Tests.Shared.Fuzz;
using CsCheck;
using Xunit.Abstractions;

namespace BidEngine.OpenRtb.Tests.Fuzz;

/// <summary>
/// Mutated fixtures through <see cref="BidRequestParser"/>: no exception ever escapes, the body
/// whole and in small segments gives the same answer, a refusal names its error (and its field when
/// it is about one), and every accepted request matches a slow <see cref="System.Text.Json.JsonDocument"/> reading.
/// </summary>
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    private const long SuiteIterations = 3000;

    // Errors about the whole body carry no field; every other error names one.
    private static readonly HashSet<BidRequestError> WholeBodyErrors = [BidRequestError.NotJson, BidRequestError.NotAnObject, BidRequestError.TooDeep, BidRequestError.TooLarge];

    // The fields the reference reads: a wrong type there must show in its problems too.
    private static readonly HashSet<string> ComparedFields =
        ["id", "tmax", "imp", "imp[]", "imp[].id", "imp[].banner", "imp[].banner.w", "imp[].banner.h", "imp[].bidfloor", "imp[].bidfloorcur"];

    [Fact]
    public void NoMutationOfAFixtureMakesTheParserThrowOrDisagreeWithJsonDocument()
    {
        var seeds = FuzzSeeds.All;
        Assert.True(seeds.Count > 0, "no fuzz seeds: corpus/requests and corpus/offspec are empty and the inline seeds are gone");

        var tally = new FuzzTally();
        FuzzGen.Cases(seeds.Count).Sample(
            fuzz => Check(fuzz, tally),
            writeLine: output.WriteLine,
            seed: FuzzSettings.Seed,
            iter: FuzzSettings.Iterations(SuiteIterations),
            print: FuzzSeeds.Describe);

        output.WriteLine($"{seeds.Count} seeds ({FuzzSeeds.FromCorpus} from corpus/); parser answers: {tally}");
        if (tally.Total >= 100)
        {
            // Some cases must get through, or the comparison with JsonDocument checked nothing.
            Assert.True(tally["ok"] * 20 >= tally.Total, $"fewer than 1 case in 20 accepted: {tally}");
        }
    }

    private static void Check(FuzzCase fuzz, FuzzTally tally)
    {
        var body = Mutator.Apply(FuzzSeeds.All[fuzz.SeedIndex].Body, fuzz.Steps);

        // Segments of 1 to 64 bytes, but no more than about 512 of them: a 300 KB body in 1-byte segments takes seconds.
        tally.Add(CheckBody(body, segmentSize: Math.Max(1 + (int)(fuzz.GzipArg % 64), body.Length / 512)));

        if (fuzz.Gzip is GzipMode.Gzip or GzipMode.TruncatedGzip or GzipMode.GarbledGzip)
        {
            // Compressed bytes reach the parser only when an endpoint forgets to decompress: they start
            // with 0x1F 0x8B, which is never JSON, so they must be refused as such (an empty body too).
            var wire = Mutator.Encode(body, fuzz.Gzip, fuzz.GzipArg);
            var result = Parse(wire, new BidRequest());
            Assert.Equal(BidRequestError.NotJson, result.Error);
        }
    }

    /// <summary>Checks one body and says how the parser answered (its error code).</summary>
    private static string CheckBody(byte[] body, int segmentSize)
    {
        var whole = new BidRequest();
        var result = Parse(body, whole);

        // The same body as a socket delivers it, into a request that a pool hands back after use.
        var pooled = Pooled;
        try
        {
            var split = Parse(Segments.Split(body, segmentSize), pooled);
            Assert.True(result.Error == split.Error && result.Field == split.Field,
                $"whole body: {result.Code} {result.Field} ({result.Message}); in segments of {segmentSize}: {split.Code} {split.Field} ({split.Message})");
            if (result.IsSuccess)
            {
                Assert.Equal(RequestDump.Of(whole), RequestDump.Of(pooled));
            }
        }
        finally
        {
            // As the server's pool does after every request, refused or not (and after a throw, so that one failure does not leak into the next case).
            pooled.Reset();
        }

        var reference = ReferenceRequest.Read(body);
        if (result.IsSuccess)
        {
            CheckAccepted(whole, reference);
        }
        else
        {
            CheckRefused(result, reference);
        }

        return result.Code;
    }

    private static void CheckAccepted(BidRequest parsed, ReferenceRequest? reference)
    {
        Assert.True(reference is not null, "the parser accepted a body that JsonDocument refuses (or that is not an object)");
        Assert.True(reference.Problems.Count == 0, $"the parser accepted a body with a wrong type in a field it reads: {reference}");
        Assert.Equal(BidRequestError.None, reference.Validation);

        var text = parsed.Text;
        Assert.Equal(reference.Id, text.GetString(parsed.Id));
        Assert.Equal(reference.Tmax, parsed.Tmax);
        Assert.Equal(reference.Imps.Count, parsed.Imps.Count);
        for (var i = 0; i < parsed.Imps.Count; i++)
        {
            var imp = parsed.Imps[i];
            var expected = reference.Imps[i];
            var actual = $"imp id={text.GetString(imp.Id)} banner={imp.Banner.Present} {imp.Banner.W}x{imp.Banner.H} floor={imp.BidFloor} {text.GetString(imp.BidFloorCur)}";
            Assert.Equal(expected.ToString(), actual);

            // The text above rounds doubles; the floor itself must be the same number.
            Assert.Equal(expected.BidFloor, imp.BidFloor);
        }
    }

    private static void CheckRefused(ParseResult result, ReferenceRequest? reference)
    {
        Assert.NotEqual(BidRequestError.None, result.Error);
        Assert.NotEqual("bad_request", result.Code);
        Assert.False(string.IsNullOrWhiteSpace(result.Message), $"{result.Code} without a message");
        if (WholeBodyErrors.Contains(result.Error))
        {
            Assert.True(result.Field is null, $"{result.Code} is about the whole body but names {result.Field}");
        }
        else
        {
            Assert.False(string.IsNullOrEmpty(result.Field), $"{result.Code} names no field");
        }

        switch (result.Error)
        {
            case BidRequestError.NotJson:
                // JsonDocument refuses it too, or takes it only because it checks a string's UTF-8 when the string is read.
                Assert.True(reference is null || reference.HasInvalidText, $"refused as {result.Code} ({result.Message}) but JsonDocument reads a valid object: {reference}");
                break;
            case BidRequestError.NotAnObject:
            case BidRequestError.TooDeep:
                Assert.True(reference is null, $"refused as {result.Code} ({result.Message}) but JsonDocument reads an object: {reference}");
                break;
            case BidRequestError.MissingId:
            case BidRequestError.MissingImp:
            case BidRequestError.ImpWithoutId:
            case BidRequestError.DuplicateImpId:
                // These come after the whole body was read without a problem: the reference must agree exactly.
                Assert.True(reference is not null, $"refused as {result.Code}, a rule about a body that parsed, but JsonDocument refuses the body");
                Assert.Empty(reference.Problems);
                Assert.Equal(reference.Validation, result.Error);
                break;
            case BidRequestError.WrongType:
            case BidRequestError.TooManyItems:
                if (reference is not null && ComparedFields.Contains(result.Field!))
                {
                    Assert.Contains((result.Error, result.Field!), reference.Problems);
                }

                break;
        }
    }

    private static ParseResult Parse(byte[] body, BidRequest into)
    {
        try
        {
            return BidRequestParser.Parse(body, into);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"Parse(span) threw {e.GetType().Name}: {e.Message}", e);
        }
    }

    private static ParseResult Parse(System.Buffers.ReadOnlySequence<byte> body, BidRequest into)
    {
        try
        {
            return BidRequestParser.Parse(body, into);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"Parse(sequence) threw {e.GetType().Name}: {e.Message}", e);
        }
    }

    [ThreadStatic]
    private static BidRequest? t_pooled;

    private static BidRequest Pooled => t_pooled ??= new BidRequest();
}
