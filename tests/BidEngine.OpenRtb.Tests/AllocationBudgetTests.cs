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
    /// <summary>Bytes per request allowed in steady state. Measured: 0.</summary>
    private const long BudgetBytesPerRequest = 0;

    [Theory]
    [InlineData("iab__2.6md~6.2.3-Example-3-Mobile__5d11ef0b68.json", 0, false)]
    [InlineData("iab__2.6md~6.2.4-Example-4-Video__97b3519754.json", 0, false)]
    [InlineData("iab__2.6md~6.2.5-Example-5-PMP-with-Direct-Deal__5c31c00bc5.json", 0, false)]
    [InlineData("iab__2.6md~6.2.3-Example-3-Mobile__5d11ef0b68.json", 64, false)]
    [InlineData("iab__2.6md~6.2.3-Example-3-Mobile__5d11ef0b68.json", 0, true)]
    [InlineData("iab__2.6md~6.2.4-Example-4-Video__97b3519754.json", 64, true)]
    public void ParsingAndWritingATypicalRequestAllocatesNothingInSteadyState(string name, int segmentSize, bool notices)
    {
        var body = Corpus.Read("requests", name);
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
                // burl and a click URL in the markup, as with BidEngine:Notices:BaseUrl set.
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

        const int Rounds = 1000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
        {
            OneRequest();
        }

        var perRequest = (GC.GetAllocatedBytesForCurrentThread() - before) / Rounds;
        Assert.True(perRequest <= BudgetBytesPerRequest, $"{perRequest} bytes per request (budget {BudgetBytesPerRequest})");
    }
}
