using System.Buffers;
using System.Text.Json;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;
using BidEngine.OpenRtb.Response;
using BidEngine.OpenRtb.Writing;

namespace BidEngine.OpenRtb.Tests;

/// <summary>Parsing and writing allocate nothing once the pooled objects have grown to size.</summary>
public sealed class AllocationBudgetTests
{
    private const int Rounds = 1000;

    /// <summary>
    /// Every request of the corpus whole (0 B), and a few in small segments (the multi-segment reader) or
    /// with notice URLs. The last value is the exact budget in bytes per request. A number split across
    /// two segments used to cost 32 B (Utf8JsonReader copies it to an array); the parser now reads it
    /// from the stack (JsonNumbers), so the split cases below are held to 0 B as well.
    /// </summary>
    public static TheoryData<string, int, bool, long> Cases()
    {
        var data = new TheoryData<string, int, bool, long>();
        foreach (var file in Corpus.Files("requests"))
        {
            data.Add(Path.GetFileName(file), 0, false, 0);
        }

        data.Add("app-banner-phone-usa-2.6.json", 0, true, 0);
        data.Add("site-video-instream.json", 64, true, 0);
        data.Add("app-banner-phone-usa-2.6.json", 61, false, 0);

        // In 64-byte segments the 300 of the second banner format straddles a boundary.
        data.Add("app-banner-phone-usa-2.6.json", 64, false, 0);

        // In 61-byte segments three banner sizes (h 250, w 728, w 970) straddle boundaries.
        data.Add("site-multi-imp-gzip.json", 61, true, 0);
        return data;
    }

    public static TheoryData<string> ExternalRequests => Corpus.ExternalNames("requests");

    [Theory]
    [MemberData(nameof(Cases))]
    public void ParsingAndWritingACorpusRequestAllocatesExactlyItsBudgetInSteadyState(string name, int segmentSize, bool notices, long budgetBytesPerRequest) =>
        AssertAllocates(Corpus.Read("requests", name), segmentSize, notices, budgetBytesPerRequest);

    [ExternalCorpusTheory]
    [MemberData(nameof(ExternalRequests))]
    public void ParsingAndWritingAnExternalCorpusRequestAllocatesNothingInSteadyState(string name) =>
        AssertAllocates(Corpus.ReadExternal("requests", name), 0, false, 0);

    private static void AssertAllocates(byte[] body, int segmentSize, bool notices, long budgetBytesPerRequest)
    {
        var sequence = segmentSize > 0 ? Segments.Split(body, segmentSize) : new ReadOnlySequence<byte>(body);
        var request = new BidRequest();
        var response = new BidResponse();
        var output = new ArrayBufferWriter<byte>(8192);
        var writer = new Utf8JsonWriter(output);
        var seat = "seat"u8.ToArray();

        void OneRequest()
        {
            request.Reset();
            response.Reset();
            var result = BidRequestParser.Parse(sequence, request);
            Assert.True(result.IsSuccess);
            BidResponseWriterTests.AddBid(response, request, 0, seat, 1.5);
            if (notices)
            {
                // nurl, burl, lurl and a click URL in the markup, as with BidEngine:Notices:BaseUrl set.
                BidResponseWriterTests.AddNotices(response.Bids[0], 281479288520705, clickMacro: true);
            }

            output.ResetWrittenCount();
            writer.Reset(output);
            BidResponseWriter.Write(writer, request, response);
            writer.Flush();
        }

        for (var i = 0; i < 100; i++)
        {
            OneRequest();
        }

        // The exact total over every round: one stray allocation anywhere in them fails the test.
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
        {
            OneRequest();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var budget = budgetBytesPerRequest * Rounds;
        Assert.True(allocated == budget, $"{allocated} bytes over {Rounds} requests (budget exactly {budget})");
    }
}
