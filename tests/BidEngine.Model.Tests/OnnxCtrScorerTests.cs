using System.Diagnostics;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Scoring;
using BidEngine.Model.Authoring;
using BidEngine.Model.Onnx;

namespace BidEngine.Model.Tests;

public sealed class OnnxCtrScorerTests(ScorerFixture model) : IClassFixture<ScorerFixture>
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(32)]
    [InlineData(100)]
    [InlineData(128)]
    public async Task Fp32ScoresMatchTheReferenceMath(int rows)
    {
        using var scorer = new OnnxCtrScorer(model.Fp32Path);
        var ids = TestModels.Ids(rows, 6, 10, rows);

        var got = await Score(scorer, ids, rows);

        for (var r = 0; r < rows; r++)
        {
            Assert.Equal(model.Weights.PredictReference(ids.AsSpan(r * 6, 6)), got[r], 1e-5);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(128)]
    public async Task Int8ScoresMatchTheQuantizedReferenceAndStayCloseToFp32(int rows)
    {
        using var scorer = new OnnxCtrScorer(model.Int8Path);
        var ids = TestModels.Ids(rows, 6, 10, 100 + rows);

        var got = await Score(scorer, ids, rows);

        for (var r = 0; r < rows; r++)
        {
            var row = ids.AsSpan(r * 6, 6);
            Assert.Equal(model.Quantized.PredictReference(row), got[r], 1e-5);
            Assert.Equal(model.Weights.PredictReference(row), got[r], 2e-2);
        }
    }

    [Fact]
    public async Task EveryBucketGivesTheSameAnswerForTheSameRow()
    {
        using var scorer = new OnnxCtrScorer(model.Fp32Path);
        var row = TestModels.Ids(1, 6, 10, 7);
        var filler = TestModels.Ids(128, 6, 10, 8);
        var expected = (float)model.Weights.PredictReference(row);

        foreach (var rows in new[] { 1, 2, 3, 5, 8, 9, 31, 64, 65, 127, 128 })
        {
            var ids = (long[])filler.Clone();
            var at = rows / 2;
            row.CopyTo(ids.AsSpan(at * 6));
            var got = await Score(scorer, ids, rows);
            Assert.Equal(expected, got[at], 1e-6f);
        }
    }

    [Fact]
    public void ScoringAllocatesNothingPerCallAfterWarmup()
    {
        using var scorer = new OnnxCtrScorer(model.Fp32Path);
        scorer.Warmup();
        var ids = TestModels.Ids(128, 6, 10, 9);
        var deadline = Policy().ModelLimit(new RequestDeadline(Stopwatch.GetTimestamp(), Stopwatch.GetTimestamp() + Stopwatch.Frequency * 60));
        ScoreSync(scorer, ids, 5, deadline); // JIT and the first watched run outside the measurement

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            ScoreSync(scorer, ids, 1 + (i % 128), deadline);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task PassedDeadlineReturnsFalseWithoutRunning()
    {
        using var scorer = new OnnxCtrScorer(model.Fp32Path);
        scorer.Warmup();
        var runs = scorer.Counters.Runs;
        var now = Stopwatch.GetTimestamp();
        var rows = scorer.Rent(4);

        var ok = await scorer.ScoreAsync(rows, Policy().ModelLimit(new RequestDeadline(now - 1000, now - 1)));

        scorer.Return(rows);
        Assert.False(ok);
        Assert.Equal(runs, scorer.Counters.Runs);
        Assert.Equal(1, scorer.Counters.NotStarted);
    }

    [Fact]
    public async Task RunThatOutlastsItsLimitIsCutOffAndTheSlotStillWorksAfterwards()
    {
        using var heavy = new HeavyModel();
        var scorer = heavy.Scorer;
        var rows = heavy.RentFull();

        // The estimate claims the run is nearly free, so it starts; the watchdog must cut it off.
        scorer.SeedCost(1024, 1);
        var now = Stopwatch.GetTimestamp();
        var ok = await scorer.ScoreAsync(rows, Policy().ModelLimit(new RequestDeadline(now, now + (Stopwatch.Frequency / 1000))));

        Assert.False(ok);
        Assert.Equal(0, scorer.Counters.NotStarted);
        Assert.Equal(1, scorer.Counters.CutOff);
        Assert.True(await scorer.ScoreAsync(rows, ModelTimeLimit.None));
        Assert.Equal(heavy.Weights.PredictReference(heavy.Ids.AsSpan(0, heavy.FeatureCount)), rows.Probability(0), 1e-5);
        scorer.Return(rows);
    }

    /// <remarks>
    /// The deadline is two seconds away, far more than the heavy run needs, but the policy keeps a
    /// write reserve of all but half a millisecond of it: the watchdog must cut the run off where
    /// the policy's limit ends, not at the request's deadline.
    /// </remarks>
    [Fact]
    public async Task WatchdogCutsTheRunOffAtTheDeadlineLessThePolicysWriteReserve()
    {
        using var heavy = new HeavyModel();
        var scorer = heavy.Scorer;
        var rows = heavy.RentFull();
        var policy = new DeadlinePolicy(new DeadlineOptions { WriteReserveMicros = 1_999_500 });

        scorer.SeedCost(1024, 1);
        var now = Stopwatch.GetTimestamp();
        var ok = await scorer.ScoreAsync(rows, policy.ModelLimit(new RequestDeadline(now, now + (2 * Stopwatch.Frequency))));

        Assert.False(ok);
        Assert.Equal(1, scorer.Counters.CutOff);
        scorer.Return(rows);
    }

    /// <remarks>
    /// The scorer claims 10 ms per run; the policy multiplies by 3 and keeps 50 ms: the model needs
    /// 80 ms. With 70 ms left the cost alone would fit, so a scorer with its own numbers would run;
    /// it must refuse exactly as the policy does. With 300 ms left both run.
    /// </remarks>
    [Theory]
    [InlineData(70, false)]
    [InlineData(300, true)]
    public async Task StartsARunExactlyWhenThePolicyChoosesTheModel(int leftMs, bool runs)
    {
        using var scorer = new OnnxCtrScorer(model.Fp32Path);
        scorer.Warmup();
        var policy = new DeadlinePolicy(new DeadlineOptions { WriteReserveMicros = 50_000, ModelCostSafetyFactor = 3 });
        scorer.SeedCost(1, Stopwatch.Frequency / 100);
        var now = Stopwatch.GetTimestamp();
        var deadline = new RequestDeadline(now, now + (leftMs * Stopwatch.Frequency / 1000));
        var rows = scorer.Rent(1);

        Assert.Equal(runs ? Core.Pipeline.ScoringPath.Model : Core.Pipeline.ScoringPath.Heuristic, policy.Choose(deadline, scorer, 1, now));
        Assert.Equal(runs, await scorer.ScoreAsync(rows, policy.ModelLimit(deadline)));
        scorer.Return(rows);
        Assert.Equal(runs ? 0 : 1, scorer.Counters.NotStarted);
    }

    /// <remarks>
    /// A 1024-row run is in flight and claims 300 ms; a one-row caller arriving then would wait
    /// about 300 ms. Its deadline is 1 s away. It may queue only if the policy's numbers say that
    /// wait, times the safety factor, ends before the write reserve and the async slack:
    /// factor 2 and reserve 500 ms (600 &gt; 500): refused, though factor 1 would fit (300 &lt; 500);
    /// factor 1, reserve 500 ms, slack 300 ms (300 &gt; 200): refused; otherwise queued.
    /// </remarks>
    [Theory]
    [InlineData(2.0, 500, 0, false)]
    [InlineData(1.0, 500, 300, false)]
    [InlineData(1.0, 500, 0, true)]
    [InlineData(2.0, 100, 0, true)]
    public async Task GroupCommitQueuesACallerOnlyWhenThePolicysNumbersSayItsWaitFits(double factor, int reserveMs, int slackMs, bool queues)
    {
        using var heavy = new HeavyModel(BatchingMode.GroupCommit);
        var scorer = heavy.Scorer;
        var batcher = scorer.Batcher!;
        var policy = new DeadlinePolicy(new DeadlineOptions { ModelCostSafetyFactor = factor, WriteReserveMicros = reserveMs * 1000, AsyncModelSlackMs = slackMs });
        var leaderRows = heavy.RentFull();
        var follower = scorer.Rent(1);
        follower.Features(0).Clear();

        for (var attempt = 0; ; attempt++)
        {
            scorer.SeedCost(1024, 300 * Stopwatch.Frequency / 1000);
            scorer.SeedCost(1, 1);
            var leader = Task.Run(() => scorer.ScoreAsync(leaderRows, ModelTimeLimit.None).AsTask());
            while (!batcher.IsRunning && !leader.IsCompleted)
            {
                Thread.SpinWait(10);
            }

            var now = Stopwatch.GetTimestamp();
            var call = scorer.ScoreAsync(follower, policy.ModelLimit(new RequestDeadline(now, now + Stopwatch.Frequency)));
            var leaderWasRunning = !leader.IsCompleted;
            var queued = !call.IsCompleted;
            var result = await call;
            Assert.True(await leader);

            // Conclusive only if the follower met the run in flight; on a stalled machine it may not have.
            if (!leaderWasRunning && !queued && attempt < 5)
            {
                continue;
            }

            Assert.Equal(queues, queued);
            Assert.Equal(queues, result);
            Assert.Equal(queues ? 0 : 1, scorer.Counters.NotStarted);
            break;
        }

        scorer.Return(follower);
        scorer.Return(leaderRows);
    }

    [Fact]
    public async Task GroupCommitBatchesConcurrentCallersAndGivesEachTheUnbatchedAnswers()
    {
        const int Callers = 16;
        const int Calls = 200;
        using var batched = new OnnxCtrScorer(new ModelOptions { ModelPath = model.Fp32Path, Batching = BatchingMode.GroupCommit });
        using var unbatched = new OnnxCtrScorer(model.Fp32Path);
        batched.Warmup();

        // Each caller's rows and what the scorer without batching answers for them, one call at a time.
        var ids = new long[Callers][][];
        var expected = new float[Callers][][];
        for (var c = 0; c < Callers; c++)
        {
            ids[c] = new long[Calls][];
            expected[c] = new float[Calls][];
            for (var i = 0; i < Calls; i++)
            {
                var rows = 1 + ((c + i) % 4);
                ids[c][i] = TestModels.Ids(rows, 6, 10, (c * 1000) + i);
                expected[c][i] = await Score(unbatched, ids[c][i], rows);
            }
        }

        // Batching needs callers that overlap, which the scheduler decides: rounds repeat (a bounded
        // number of times) until at least one run carried several callers' rows.
        for (var round = 0; round < 20 && batched.Counters.BatchedRuns == 0; round++)
        {
            var tasks = Enumerable.Range(0, Callers).Select(c => Task.Run(async () =>
            {
                for (var i = 0; i < Calls; i++)
                {
                    var got = await Score(batched, ids[c][i], expected[c][i].Length);
                    for (var r = 0; r < got.Length; r++)
                    {
                        Assert.Equal(expected[c][i][r], got[r], 1e-6f);
                        Assert.Equal(model.Weights.PredictReference(ids[c][i].AsSpan(r * 6, 6)), got[r], 1e-5);
                    }
                }
            })).ToArray();
            await Task.WhenAll(tasks);
        }

        var counters = batched.Counters;
        Assert.True(counters.BatchedRuns > 0, "no run carried more than one caller's rows");
        Assert.True(counters.BatchedRequests >= 2 * counters.BatchedRuns, $"{counters.BatchedRequests} requests in {counters.BatchedRuns} batched runs");
        Assert.Equal(0, counters.CutOff);
        Assert.Equal(0, counters.NotStarted);
    }

    [Fact]
    public void AModelOfOtherFeaturesNamesEachDifferenceWithBothSides()
    {
        using var scorer = new OnnxCtrScorer(model.Fp32Path);

        var mismatches = scorer.Card.FeatureSpecMismatches();

        // The test model: spec "7", 6 features, 10 hash bits; the bidder: ctr-features-v1, 19 features, 18..22 bits.
        Assert.Equal(3, mismatches.Count);
        Assert.Contains("'7'", mismatches[0], StringComparison.Ordinal);
        Assert.Contains($"'{BidEngine.Core.Features.FeatureSpec.Version}'", mismatches[0], StringComparison.Ordinal);
        Assert.Contains("takes 6 features per row, this bidder computes 19", mismatches[1], StringComparison.Ordinal);
        Assert.Contains("10 hash bits, this bidder hashes into 18..22", mismatches[2], StringComparison.Ordinal);
    }

    [Fact]
    public void IdsOutsideTheHashSpaceAreRejectedBeforeRunning()
    {
        using var scorer = new OnnxCtrScorer(model.Fp32Path);
        var rows = scorer.Rent(2);
        rows.Features(1)[3] = 1 << 10;

        Assert.Throws<ArgumentOutOfRangeException>(() => scorer.ScoreAsync(rows, ModelTimeLimit.None).AsTask().GetAwaiter().GetResult());
        scorer.Return(rows);
    }

    [Fact]
    public void InvalidOptionsNameTheSetting()
    {
        var errors = new ModelOptions { ModelPath = model.Fp32Path, MaxBatchRows = 100, IntraOpThreads = 0 }.Validate();

        Assert.Contains(errors, e => e.StartsWith("Model:MaxBatchRows", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Model:IntraOpThreads", StringComparison.Ordinal));
        var ex = Assert.Throws<ArgumentException>(() => new OnnxCtrScorer(new ModelOptions { ModelPath = "nope.onnx" }));
        Assert.Contains("Model:ModelPath", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScorerExposesTheModelShapeAndCard()
    {
        using var scorer = new OnnxCtrScorer(model.Int8Path);

        Assert.Equal((6, 10, 128, "onnx:ctr.int8.onnx"), (scorer.FeatureCount, scorer.HashBits, scorer.MaxRows, scorer.Name));
        Assert.Equal("int8", scorer.Card.Precision);
        Assert.Equal("7", scorer.Card.Metadata[ModelMetadataKeys.FeatureSpecVersion]);
        Assert.Throws<ArgumentOutOfRangeException>(() => scorer.Rent(129));
    }

    private static DeadlinePolicy Policy() => new(new DeadlineOptions());

    private static async Task<float[]> Score(ICtrScorer scorer, long[] ids, int count)
    {
        var rows = scorer.Rent(count);
        try
        {
            for (var r = 0; r < count; r++)
            {
                ids.AsSpan(r * scorer.FeatureCount, scorer.FeatureCount).CopyTo(rows.Features(r));
            }

            Assert.True(await scorer.ScoreAsync(rows, ModelTimeLimit.None));
            var result = new float[count];
            for (var r = 0; r < count; r++)
            {
                result[r] = rows.Probability(r);
            }

            return result;
        }
        finally
        {
            scorer.Return(rows);
        }
    }

    private static void ScoreSync(OnnxCtrScorer scorer, long[] ids, int count, ModelTimeLimit deadline)
    {
        var rows = scorer.Rent(count);
        for (var r = 0; r < count; r++)
        {
            ids.AsSpan(r * 6, 6).CopyTo(rows.Features(r));
        }

        var task = scorer.ScoreAsync(rows, deadline);
        if (!task.IsCompletedSuccessfully || !task.Result)
        {
            throw new InvalidOperationException("Scoring failed.");
        }

        scorer.Return(rows);
    }
}
