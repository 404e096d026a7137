using System.Text;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Currency;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Events;
using BidEngine.Core.Features;
using BidEngine.Core.Pipeline;
using BidEngine.Core.Pricing;
using BidEngine.OpenRtb.Parsing;
using BidEngine.Training.Commands;
using BidEngine.Training.Data;

namespace BidEngine.Training.Tests;

/// <summary>
/// <c>train --data</c> on logs the bidder's own <see cref="EventLog"/> wrote: decisions from the real
/// pipeline, outcomes through the same appends the notice endpoints call, joined by request id and imp id.
/// </summary>
public sealed class BidLogJoinTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bidengine-join-").FullName;
    private readonly BidPipeline _pipeline;

    public BidLogJoinTests()
    {
        var campaigns = new[]
        {
            new Campaign("cmp-a", ["a.example"], ["IAB1"], 1.0, 10, 0.01, Targeting.Any,
                [new Creative("cr-a", CreativeKind.Banner, 300, 250, "<a href=\"${BIDENGINE_CLICK_URL}\">a</a>", null, [], 0)]),
        };
        var snapshot = new CampaignSnapshot(campaigns, new CurrencyTable(new Dictionary<string, double>()));
        _pipeline = new BidPipeline(() => snapshot, scorer: null, new PricingOptions(), new PipelineOptions(), new DeadlinePolicy(new DeadlineOptions()));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RowsAreTheBilledBidsWithTheirFeatureInputsAndClicksJoinedByRequestAndImpId()
    {
        const int N = 200;
        var log = Open();
        var billed = new List<int>();
        var clicked = new HashSet<int>();
        var expectedIds = new List<long[]>();

        // An outcome the log holds before its bid: the bill of request 7 comes first.
        Assert.True(log.TryAppendBill(Keys(7), 1.0));
        for (var i = 0; i < N; i++)
        {
            var context = Decide(i);
            Assert.True(log.TryAppendDecision(context, 0));
            var keys = Keys(i);
            switch (i % 4)
            {
                case 0:
                    // Won and billed; every third of them clicked, once twice.
                    Assert.True(log.TryAppendWin(keys, 1.5));
                    Assert.True(log.TryAppendBill(keys, 1.5));
                    if (i % 3 == 0)
                    {
                        Assert.True(log.TryAppendClick(keys));
                        clicked.Add(i);
                    }

                    if (i == 12)
                    {
                        Assert.True(log.TryAppendClick(keys));
                    }

                    break;
                case 1:
                    // Won, never billed (not rendered): no impression.
                    Assert.True(log.TryAppendWin(keys, 1.5));
                    break;
                case 2:
                    Assert.True(log.TryAppendLoss(keys, 102, 2.25));
                    break;
            }

            if (i % 4 == 0 || i == 7)
            {
                billed.Add(i);
                expectedIds.Add(Hashed(context));
            }
        }

        // Bills that cannot be joined: one naming only the campaign (notices before signed ones), one for a bid never logged.
        Assert.True(log.TryAppendBill(new OutcomeKeys("", "", "cmp-a", ""), 1.0));
        Assert.True(log.TryAppendBill(new OutcomeKeys("nobody", "1", "cmp-a", "cr-a"), 1.0));
        await log.StopAsync();
        log.Dispose();

        var progress = new StringWriter();
        var data = await DatasetLoader.LoadAsync(_dir, 18, progress, truthOf: bid => int.Parse(bid.RequestId[1..], System.Globalization.CultureInfo.InvariantCulture) / 1000f);

        Assert.Equal(N, data.Bids);
        Assert.Equal(billed.Count, data.Count);
        Assert.Equal(clicked.Count, data.Clicks);
        Assert.Equal(billed.Select(i => clicked.Contains(i) ? (byte)1 : (byte)0), data.Labels);
        for (var r = 0; r < data.Count; r++)
        {
            Assert.Equal(expectedIds[r].Select(id => (int)id), data.Row(r).ToArray());
        }

        Assert.Equal(billed.Select(i => i / 1000f), data.Truth!);
        Assert.Equal(new LogCounts(WinNotices: 100, Bills: billed.Count + 2, Losses: 50, ClickNotices: clicked.Count + 1, Unkeyed: 1, Orphans: 1, RowsAreBills: true), data.Log);
        Assert.Contains("1 outcome records carry no request id", progress.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrainFromTheFolderReportsTheJoinedImpressions()
    {
        var log = Open();
        var random = new Random(5);
        var impressions = 0;
        for (var i = 0; i < 600; i++)
        {
            Assert.True(log.TryAppendDecision(Decide(i), 0));
            if (i % 2 == 0)
            {
                impressions++;
                Assert.True(log.TryAppendBill(Keys(i), 1.0));
                if (random.NextDouble() < 0.2)
                {
                    Assert.True(log.TryAppendClick(Keys(i)));
                }
            }
        }

        await log.StopAsync();
        log.Dispose();

        var output = new StringWriter();
        var error = new StringWriter();
        var weights = Path.Combine(_dir, "out", "w.bin");
        var exit = await TrainingCommandLine.InvokeAsync(
            ["train", "--data", _dir, "--out", weights, "--priors", Path.Combine(_dir, "out", "priors.json"), "--epochs", "1", "--calibration", "0"], output, error, "test");
        Assert.True(exit == 0, error.ToString());
        Assert.Contains($"600 bids, {impressions} impressions", output.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(weights));
    }

    private EventLog Open()
    {
        var log = new EventLog(new EventLogOptions { Folder = _dir, FlushIntervalMs = 10 }, new FixedTime());
        log.Start();
        return log;
    }

    private static OutcomeKeys Keys(int i) => new("r" + i, "1", "cmp-a", "cr-a");

    private readonly BidContext _context = new();

    /// <summary>The pipeline's decision on request <c>r{i}</c>: one 300×250 imp on its own site, so every row hashes differently.</summary>
    private BidContext Decide(int i)
    {
        _context.Reset();
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var body = Encoding.UTF8.GetBytes(string.Concat(
            string.Create(c, $"{{\"id\":\"r{i}\",\"imp\":[{{\"id\":\"1\",\"tagid\":\"t{i % 7}\",\"banner\":{{\"w\":300,\"h\":250,\"pos\":{i % 4}}}}}],"),
            string.Create(c, $"\"site\":{{\"domain\":\"site{i}.example\",\"publisher\":{{\"id\":\"p{i % 5}\"}}}},"),
            string.Create(c, $"\"device\":{{\"devicetype\":{1 + (i % 5)},\"os\":\"iOS\",\"geo\":{{\"country\":\"USA\",\"utcoffset\":-300}}}}}}")));
        Assert.True(BidRequestParser.Parse(body, _context.Request).IsSuccess);
        _context.Deadline = RequestDeadline.None;
        var decided = _pipeline.DecideAsync(_context);
        Assert.True(decided.IsCompletedSuccessfully);
        Assert.True(_context.Response.HasBids);
        return _context;
    }

    /// <summary>The ids the model saw for the bid: the decision's own inputs hashed by the serving code, at the log's clock.</summary>
    private static long[] Hashed(BidContext context)
    {
        var request = context.Request;
        var candidate = context.Candidates[0];
        var ids = new long[FeatureSpec.FeatureCount];
        FeatureSpec.Hash(FeatureInputs.From(request, request.Imps[0], candidate.Campaign, candidate.Creative, FixedTime.Now.UtcDateTime), ids, 18);
        return ids;
    }

    /// <summary>The log's clock, stopped: the hour and weekday features of a decision do not depend on when the test runs.</summary>
    private sealed class FixedTime : TimeProvider
    {
        public static readonly DateTimeOffset Now = new(2025, 3, 5, 14, 30, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
