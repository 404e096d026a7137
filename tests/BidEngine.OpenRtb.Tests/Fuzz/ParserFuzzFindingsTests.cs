using System.Text;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;

namespace BidEngine.OpenRtb.Tests.Fuzz;

/// <summary>What <see cref="ParserFuzzTests"/> found, kept as plain cases so that each stays fixed whatever the fuzzer draws.</summary>
public sealed class ParserFuzzFindingsTests
{
    // Bodies are Latin-1 strings: each \u00NN below becomes the single raw byte NN, so a body can hold invalid UTF-8.
    public static TheoryData<string> InvalidText => new()
    {
        // Invalid UTF-8 in a string the parser copies, strict or lenient: Utf8JsonReader.CopyString threw
        // InvalidOperationException out of Parse (first seen in site.id of the IAB PMP example).
        "{\"id\":\"r\u00FF1\",\"imp\":[{\"id\":\"1\"}]}",
        "{\"id\":\"r\",\"imp\":[{\"id\":\"1\"}],\"site\":{\"id\":\"10\u00FF2855\"}}",
        "{\"id\":\"r\",\"imp\":[{\"id\":\"1\",\"bidfloorcur\":\"US\u00C0\u0080\"}]}",
        "{\"id\":\"r\",\"imp\":[{\"id\":\"1\"}],\"bcat\":[\"IAB\u00ED\u00A0\u0080\"]}",

        // An escaped lone surrogate in a value.
        "{\"id\":\"r\\uD800\",\"imp\":[{\"id\":\"1\"}]}",
    };

    [Theory]
    [MemberData(nameof(InvalidText))]
    public void RefusesAStringThatIsNotValidUtf8AsNotJsonInsteadOfThrowing(string latin1)
    {
        var body = Encoding.Latin1.GetBytes(latin1);
        var whole = BidRequestParser.Parse(body, new BidRequest());
        var split = BidRequestParser.Parse(Segments.Split(body, 3), new BidRequest());

        Assert.Equal(BidRequestError.NotJson, whole.Error);
        Assert.Null(whole.Field);
        Assert.Contains("UTF-8", whole.Message, StringComparison.Ordinal);
        Assert.Equal(BidRequestError.NotJson, split.Error);
    }

    [Theory]
    [InlineData("{\"\u00C0\u0080id\":\"x\",\"id\":\"r\",\"imp\":[{\"id\":\"1\"}]}")]
    [InlineData("{\"i\\uDC00d\":\"x\",\"id\":\"r\",\"imp\":[{\"id\":\"1\"}]}")]
    public void SkipsAPropertyNameThatIsNotValidTextWholeOrInSegments(string latin1)
    {
        // The fuzzer's case: whole, the raw name matched nothing and was skipped; split across segments
        // it was copied, which threw (then refused the body as not_json). Now both skip it.
        var body = Encoding.Latin1.GetBytes(latin1);
        foreach (var size in new[] { body.Length, 1, 2, 3 })
        {
            var request = new BidRequest();
            var result = BidRequestParser.Parse(Segments.Split(body, size), request);

            Assert.True(result.IsSuccess, $"segments of {size}: {result.Code} {result.Message}");
            Assert.Equal("r", request.Text.GetString(request.Id));
        }
    }

    [Fact]
    public void StillReadsAValidEscapedSurrogatePair()
    {
        var request = new BidRequest();
        var result = BidRequestParser.Parse("{\"id\":\"r\\uD83D\\uDE00\",\"imp\":[{\"id\":\"1\"}]}"u8, request);

        Assert.True(result.IsSuccess, result.Message);
        Assert.Equal("r\U0001F600", request.Text.GetString(request.Id));
    }
}
