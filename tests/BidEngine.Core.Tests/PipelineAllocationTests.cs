using System.Buffers;
using System.Text.Json;
using BidEngine.Core.Budgets;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Eligibility;
using BidEngine.Core.FrequencyCaps;
using BidEngine.Core.Notices;
using BidEngine.Core.Pipeline;
using BidEngine.Core.Pricing;
using BidEngine.Core.State;
using BidEngine.Core.Time;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Writing;

namespace BidEngine.Core.Tests;

/// <summary>
/// The whole request path without HTTP: parse, decide (every traffic check reporting, eligibility, frequency
/// caps, budgets, pacing and the winning bid's reservation in the in-process ledger included), write. Its allocation budget in steady state.
/// </summary>
public sealed class PipelineAllocationTests
{
    /// <summary>Bytes allowed over all measured requests together on the heuristic path, in steady state. Measured: 0.</summary>
    private const long BudgetBytes = 0;

    private static readonly byte[] Typical = """
        {"id":"a5b1c6e8-3f1d-4c7e-9d7c-2f1e8b9a0c11","at":1,"tmax":120,"cur":["USD"],
         "imp":[{"id":"1","banner":{"w":300,"h":250,"format":[{"w":300,"h":250},{"w":320,"h":50}],"pos":1},"bidfloor":0.25,"bidfloorcur":"USD","tagid":"homepage-top","secure":1}],
         "app":{"id":"app-77","bundle":"com.example.news","cat":["IAB12"],"publisher":{"id":"pub-9"}},
         "device":{"ua":"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)","ip":"203.0.113.9","devicetype":4,"os":"iOS","osv":"17.0","make":"Apple","model":"iPhone","language":"en","ifa":"6D92078A-8246-4BA4-AE5B-76104861E7DC","geo":{"country":"USA","region":"CA","city":"San Francisco","lat":37.77,"lon":-122.42,"utcoffset":-480}},
         "user":{"id":"u-1","yob":1985,"gender":"F"},
         "regs":{"coppa":0,"gdpr":0,"us_privacy":"1YNN"},
         "source":{"tid":"t-1","schain":{"complete":1,"nodes":[{"asi":"exchange.example","sid":"1","hp":1}]}}}
        """u8.ToArray();

    /// <summary>Outbids the samples on the typical request, so that its click macro is written too.</summary>
    internal static Campaign ClickMacroCampaign() => TestCampaigns.Campaign(
        "cmp click/macro",
        [new Creative("cr-click", CreativeKind.Banner, 300, 250, "<a href=\"" + Creative.ClickUrlMacro + "\"><img src=\"x.png\"></a>", null, [], 0)],
        valuePerClick: 5,
        maxBidCpm: 50,
        ctrPrior: 0.05);

    /// <summary>Every corpus request that corpus/README.md says gets a bid, with and without notice URLs.</summary>
    public static TheoryData<string, bool> BiddingRequests()
    {
        var data = new TheoryData<string, bool>();
        foreach (var row in CorpusExpectations.All.Values.Where(r => r.Folder == "requests" && r.Bids).OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            data.Add(row.Name, false);
        }

        data.Add("site-multi-imp.json", true);
        return data;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ParsingDecidingAndWritingATypicalRequestByTheHeuristicAllocatesNothing(bool notices) =>
        AssertHeuristicPathAllocatesNothing(Typical, notices);

    [Theory]
    [MemberData(nameof(BiddingRequests))]
    public void ParsingDecidingAndWritingACorpusRequestByTheHeuristicAllocatesNothing(string name, bool notices) =>
        AssertHeuristicPathAllocatesNothing(Corpus.Read("requests", name), notices);

    /// <summary>The heuristic path (no scorer). The model path's gate is in BidEngine.Model.Tests, which has the ONNX scorer.</summary>
    private static void AssertHeuristicPathAllocatesNothing(byte[] body, bool notices)
    {
        var snapshot = TestCampaigns.Snapshot([.. TestCampaigns.Samples(), .. notices ? [ClickMacroCampaign()] : Array.Empty<Campaign>()]);
        var clock = new ManualClock(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        // With the embedded state's journal, as the bidder runs by default: each reservation is appended to
        // it. Its batch array doubles past what one flush interval held (the bidder's first busy seconds),
        // then stays: sized here for every round, so that the gate measures appends, not that growth.
        var stateFolder = Directory.CreateTempSubdirectory("bidengine-allocation-state-");
        using var journal = new StateJournal(stateFolder.FullName, 1, TimeSpan.FromSeconds(1), initialBatch: 1 << 17);
        var ledger = new InProcessBudgetLedger(clock) { Journal = journal };
        var gate = new CampaignGate(clock, ledger, new FrequencyCapTable(clock, new FrequencyCapOptions { Capacity = 1024 }));
        gate.Register(snapshot);
        var pipeline = new BidPipeline(
            () => snapshot,
            scorer: null,
            new PricingOptions(),
            new PipelineOptions(),
            new DeadlinePolicy(new DeadlineOptions()),
            notices: notices ? new NoticeUrls("https://bidder.example.com", NoticeSigner.WithRandomKey(), clock) : null,
            gate: gate)
        {
            // Every traffic and supply check reporting only, as the shipped settings run the first ones:
            // each runs in full on every request, and none may refuse a bid here.
            Traffic = Traffic.TrafficFilterTests.Filter(Core.Traffic.TrafficMode.ReportOnly),
        };
        var context = new BidContext();
        var output = new ArrayBufferWriter<byte>(8192);
        var writer = new Utf8JsonWriter(output);

        void OneRequest()
        {
            context.Reset();
            if (!BidRequestParser.Parse(body, context.Request).IsSuccess)
            {
                throw new InvalidOperationException("The request did not parse.");
            }

            context.Deadline = RequestDeadline.None;
            var decided = pipeline.DecideAsync(context);
            if (!decided.IsCompletedSuccessfully || context.Path != ScoringPath.Heuristic || !context.Response.HasBids)
            {
                throw new InvalidOperationException($"Expected a heuristic bid, got {context.Path}.");
            }

            output.ResetWrittenCount();
            writer.Reset(output);
            BidResponseWriter.Write(writer, context.Request, context.Response);
            writer.Flush();
        }

        // The ledger keeps a record per bid until the late-notice window ends: more warm-up rounds than
        // measured ones grow its dictionary and queues once; then time passes and the sweep forgets them.
        const int Rounds = 1000;
        for (var i = 0; i < Rounds + 100; i++)
        {
            OneRequest();
        }

        Assert.True(ledger.Held >= Rounds, $"the ledger holds {ledger.Held} records: the bids did not reserve");
        clock.Advance(TimeSpan.FromMinutes(11));
        ledger.Expire();
        Assert.Equal(0, ledger.Held);

        var written = System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.Equal(notices, written.Contains("notice/imp?t=", StringComparison.Ordinal));
        if (body == Typical)
        {
            Assert.Equal(notices, written.Contains("notice/click?t=", StringComparison.Ordinal));
        }

        // The exact total over every round: one stray allocation anywhere in them fails the test.
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
        {
            OneRequest();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == BudgetBytes, $"{allocated} bytes over {Rounds} requests (budget exactly {BudgetBytes})");
        Assert.True(journal.WhenDurableAsync().Wait(TimeSpan.FromSeconds(30)) && journal.RecordsWritten >= 2 * Rounds, "the reservations were not journaled");
        journal.Dispose();
        stateFolder.Delete(recursive: true);
    }
}
