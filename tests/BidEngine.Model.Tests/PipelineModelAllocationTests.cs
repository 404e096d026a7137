using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using BidEngine.Core.Budgets;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Currency;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Eligibility;
using BidEngine.Core.FrequencyCaps;
using BidEngine.Core.Heuristics;
using BidEngine.Core.Notices;
using BidEngine.Core.Pipeline;
using BidEngine.Core.Pricing;
using BidEngine.Core.Time;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Writing;

namespace BidEngine.Model.Tests;

/// <summary>
/// The request path priced by the model, as the server runs it: parse, decide with the shipped fp32
/// model (models/ctr.onnx) on the sample campaigns, with eligibility and each winning bid's reservation
/// in the in-process ledger, write. Its allocation budget in steady state.
/// The heuristic path's gate is BidEngine.Core.Tests' PipelineAllocationTests.
/// </summary>
public sealed class PipelineModelAllocationTests : IDisposable
{
    /// <summary>Bytes allowed over all measured requests together, in steady state. Measured: 0.</summary>
    private const long BudgetBytes = 0;

    private const int Rounds = 1000;

    private static readonly string RepositoryRoot = Path.GetDirectoryName(Corpus.Root)!;

    private readonly OnnxCtrScorer _scorer;

    public PipelineModelAllocationTests()
    {
        _scorer = new OnnxCtrScorer(Path.Combine(RepositoryRoot, "models", "ctr.onnx"));
        _scorer.Warmup();
    }

    /// <summary>Every corpus request that corpus/README.md says gets a bid; a few with notice URLs or a bounded deadline (the watchdog's path).</summary>
    public static TheoryData<string, bool, bool> BiddingRequests()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (var row in CorpusExpectations.All.Values.Where(r => r.Folder == "requests" && r.Bids).OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            data.Add(row.Name, false, false);
        }

        data.Add("app-banner-phone-usa-2.6.json", true, false);
        data.Add("app-banner-phone-usa-2.6.json", false, true);
        data.Add("site-multi-imp-gzip.json", true, true);
        return data;
    }

    [Theory]
    [MemberData(nameof(BiddingRequests))]
    public void ParsingDecidingWithTheModelAndWritingACorpusRequestAllocatesNothing(string name, bool notices, bool boundedDeadline)
    {
        var snapshot = new CampaignSnapshot(CampaignLoader.LoadFile(Path.Combine(RepositoryRoot, "config", "campaigns.json")), ShippedCurrencies());
        var clock = new ManualClock(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var ledger = new InProcessBudgetLedger(clock);
        var gate = new CampaignGate(clock, ledger, new FrequencyCapTable(clock, new FrequencyCapOptions { Capacity = 1024 }));
        gate.Register(snapshot);
        var pipeline = new BidPipeline(
            () => snapshot,
            _scorer,
            new PricingOptions(),
            new PipelineOptions(),
            new DeadlinePolicy(new DeadlineOptions(), PriorCtrTable.LoadFile(Path.Combine(RepositoryRoot, "models", "ctr.priors.json"))),
            notices: notices ? new NoticeUrls("https://bidder.example.com", NoticeSigner.WithRandomKey(), BidEngine.Core.Time.SystemClock.Instance) : null,
            gate: gate);
        var body = Corpus.Read("requests", name);
        var context = new BidContext();
        var output = new ArrayBufferWriter<byte>(8192);
        var writer = new Utf8JsonWriter(output);
        var minute = Stopwatch.Frequency * 60;

        void OneRequest()
        {
            context.Reset();
            if (!BidRequestParser.Parse(body, context.Request).IsSuccess)
            {
                throw new InvalidOperationException("The request did not parse.");
            }

            // Bounded: the scorer arms its watchdog for the run. A minute away, so that no timing can change the path.
            var now = Stopwatch.GetTimestamp();
            context.Deadline = boundedDeadline ? new RequestDeadline(now, now + minute) : RequestDeadline.None;
            var decided = pipeline.DecideAsync(context);
            if (!decided.IsCompletedSuccessfully || context.Path != ScoringPath.Model || !context.Response.HasBids)
            {
                throw new InvalidOperationException($"Expected a bid priced by the model, got {context.Path}.");
            }

            output.ResetWrittenCount();
            writer.Reset(output);
            BidResponseWriter.Write(writer, context.Request, context.Response);
            writer.Flush();
        }

        // More warm-up rounds than measured ones grow the ledger's records once; then the sweep forgets them.
        for (var i = 0; i < Rounds + 100; i++)
        {
            OneRequest();
        }

        Assert.True(ledger.Held >= Rounds, $"the ledger holds {ledger.Held} records: the bids did not reserve");
        clock.Advance(TimeSpan.FromMinutes(11));
        ledger.Expire();

        var runsBefore = _scorer.Counters.Runs;
        var written = System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.Equal(notices, written.Contains("notice/imp?t=", StringComparison.Ordinal));

        // The exact total over every round: one stray allocation anywhere in them fails the test.
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
        {
            OneRequest();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(Rounds, _scorer.Counters.Runs - runsBefore);
        Assert.True(allocated == BudgetBytes, $"{allocated} bytes over {Rounds} requests (budget exactly {BudgetBytes})");
    }

    public void Dispose() => _scorer.Dispose();

    /// <summary>The currency rates of the shipped config/bidengine.json, so that requests in EUR or JPY price as the server would.</summary>
    private static CurrencyTable ShippedCurrencies()
    {
        using var config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepositoryRoot, "config", "bidengine.json")));
        var rates = config.RootElement.GetProperty("BidEngine").GetProperty("Currency").GetProperty("UsdPerUnit")
            .EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetDouble());
        return new CurrencyTable(rates);
    }
}
