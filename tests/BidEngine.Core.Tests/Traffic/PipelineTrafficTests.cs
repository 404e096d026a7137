using System.Buffers;
using System.Text;
using System.Text.Json;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Pipeline;
using BidEngine.Core.Pricing;
using BidEngine.Core.Tests.Events;
using BidEngine.Core.Traffic;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Writing;
using static BidEngine.Tests.Shared.TrafficFixtures;

namespace BidEngine.Core.Tests.Traffic;

/// <summary>The traffic step inside the pipeline: a refusal ends the request with its nbr before anything is priced; reporting only changes nothing.</summary>
public sealed class PipelineTrafficTests
{
    private static BidPipeline Pipeline(TrafficFilter traffic)
    {
        var snapshot = TestCampaigns.Snapshot([.. TestCampaigns.Samples()]);
        return new BidPipeline(() => snapshot, null, new PricingOptions(), new PipelineOptions(), new DeadlinePolicy(new DeadlineOptions())) { Traffic = traffic };
    }

    private static BidContext Decide(BidPipeline pipeline, string json)
    {
        var context = new BidContext();
        Assert.True(BidRequestParser.Parse(Encoding.UTF8.GetBytes(json), context.Request).IsSuccess);
        context.Deadline = RequestDeadline.None;
        var decided = pipeline.DecideAsync(context);
        Assert.True(decided.IsCompletedSuccessfully);
        return context;
    }

    [Fact]
    public void ARefusedRequestGetsTheChecksNbrAndNoCandidate()
    {
        var pipeline = Pipeline(TrafficFilterTests.Filter(TrafficMode.On, null, null, TrafficCheck.KnownBot));
        var refused = Decide(pipeline, Request(device: Device(ua: GooglebotUa)));
        Assert.False(refused.Response.HasBids);
        Assert.Empty(refused.Candidates);
        Assert.Equal(TrafficReasons.KnownWebSpider, refused.Response.NoBidReason);
        Assert.Equal(TrafficReason.KnownBot, refused.Traffic.Refused);

        var person = Decide(pipeline, Request());
        Assert.True(person.Response.HasBids);
        Assert.Equal(default, person.Traffic);
    }

    [Fact]
    public void AReportOnlyFindingStillBidsAndIsKeptForTheLog()
    {
        var pipeline = Pipeline(TrafficFilterTests.Filter(TrafficMode.ReportOnly, null, null, TrafficCheck.KnownBot));
        var bot = Decide(pipeline, Request(device: Device(ua: GooglebotUa)));
        Assert.True(bot.Response.HasBids);
        Assert.Equal(0, bot.Response.NoBidReason);
        Assert.Equal(TrafficReason.KnownBot, bot.Traffic.Reported);
    }

    [Theory]
    [InlineData(TrafficMode.On)]
    [InlineData(TrafficMode.ReportOnly)]
    public void DecidingAndWritingWithEveryCheckRunningAllocatesNothing(TrafficMode mode)
    {
        var filter = TrafficFilterTests.Filter(mode, new TrafficRules { SupplyChain = new Core.Supply.SupplyChainPolicy { RequireChain = true }, MaxRequestsPerIp = 1_000_000, MaxRequestsPerUser = 1_000_000 }, new ManualTime(DateTimeOffset.UnixEpoch));
        var pipeline = Pipeline(filter);
        var bodies = TrafficFilterTests.Refusals().Select(row => (string)row[0]).Append(Request()).Select(Encoding.UTF8.GetBytes).ToArray();
        var context = new BidContext();
        var output = new ArrayBufferWriter<byte>(8192);
        var writer = new Utf8JsonWriter(output);
        var bids = 0;

        void Round()
        {
            foreach (var body in bodies)
            {
                context.Reset();
                BidRequestParser.Parse(body, context.Request);
                context.Deadline = RequestDeadline.None;
                var decided = pipeline.DecideAsync(context);
                if (!decided.IsCompletedSuccessfully)
                {
                    throw new InvalidOperationException("the heuristic path did not complete at once");
                }

                bids += context.Response.HasBids ? 1 : 0;
                output.ResetWrittenCount();
                writer.Reset(output);
                if (context.Response.HasBids)
                {
                    BidResponseWriter.Write(writer, context.Request, context.Response);
                }
                else
                {
                    BidResponseWriter.WriteNoBid(writer, context.Request, context.Response.NoBidReason);
                }

                writer.Flush();
            }
        }

        for (var i = 0; i < 50; i++)
        {
            Round();
        }

        bids = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 300; i++)
        {
            Round();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(mode == TrafficMode.On ? 300 : 300 * bodies.Length, bids);
        Assert.True(allocated == 0, $"{allocated} B over {300 * bodies.Length} requests");
    }
}
