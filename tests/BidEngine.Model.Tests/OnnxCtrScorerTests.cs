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
        var deadline = new RequestDeadline(Stopwatch.GetTimestamp(), Stopwatch.GetTimestamp() + Stopwatch.Frequency * 60);
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

        var ok = await scorer.ScoreAsync(rows, new RequestDeadline(now - 1000, now - 1));

        scorer.Return(rows);
        Assert.False(ok);
        Assert.Equal(runs, scorer.Counters.Runs);
        Assert.Equal(1, scorer.Counters.NotStarted);
    }

    [Fact]
    public async Task RunThatOutlastsTheDeadlineIsCutOffAndTheSlotStillWorksAfterwards()
    {
        // A model heavy enough that one 1024-row run takes several milliseconds: F 64, k 64.
        var w = TestModels.Random(hashBits: 12, factorDim: 64, featureCount: 64, seed: 5);
        var dir = TestModels.TempDirectory();
        var path = Path.Combine(dir, "heavy.onnx");
        OnnxModelWriter.WriteFp32(w, path);
        using var scorer = new OnnxCtrScorer(new ModelOptions { ModelPath = path, MaxBatchRows = 1024, PreallocatedSlotsPerBucket = 1 });
        var rows = scorer.Rent(1024);
        var ids = TestModels.Ids(1024, 64, 12, 6);
        for (var r = 0; r < 1024; r++)
        {
            ids.AsSpan(r * 64, 64).CopyTo(rows.Features(r));
        }

        var fastest = long.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var t = Stopwatch.GetTimestamp();
            Assert.True(await scorer.ScoreAsync(rows, RequestDeadline.None));
            fastest = Math.Min(fastest, Stopwatch.GetTimestamp() - t);
        }

        Assert.True(fastest > Stopwatch.Frequency / 250, $"The heavy run took only {fastest * 1e3 / Stopwatch.Frequency:F2} ms; the test needs > 4 ms.");

        // The estimate claims the run is nearly free, so it starts; the watchdog must cut it off at the deadline.
        scorer.SeedCost(1024, 1);
        var now = Stopwatch.GetTimestamp();
        var ok = await scorer.ScoreAsync(rows, new RequestDeadline(now, now + (Stopwatch.Frequency / 2000)));

        Assert.False(ok);
        Assert.Equal(0, scorer.Counters.NotStarted);
        Assert.Equal(1, scorer.Counters.CutOff);
        Assert.True(await scorer.ScoreAsync(rows, RequestDeadline.None));
        Assert.Equal(w.PredictReference(ids.AsSpan(0, 64)), rows.Probability(0), 1e-5);
        scorer.Return(rows);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task GroupCommitGivesEveryConcurrentCallerItsOwnAnswers()
    {
        using var scorer = new OnnxCtrScorer(new ModelOptions { ModelPath = model.Fp32Path, Batching = BatchingMode.GroupCommit });
        scorer.Warmup();

        var tasks = Enumerable.Range(0, 16).Select(c => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                var rows = 1 + ((c + i) % 4);
                var ids = TestModels.Ids(rows, 6, 10, (c * 1000) + i);
                var got = await Score(scorer, ids, rows);
                for (var r = 0; r < rows; r++)
                {
                    Assert.Equal(model.Weights.PredictReference(ids.AsSpan(r * 6, 6)), got[r], 1e-5);
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);

        Assert.Equal(0, scorer.Counters.CutOff);
        Assert.Equal(0, scorer.Counters.NotStarted);
    }

    [Fact]
    public void IdsOutsideTheHashSpaceAreRejectedBeforeRunning()
    {
        using var scorer = new OnnxCtrScorer(model.Fp32Path);
        var rows = scorer.Rent(2);
        rows.Features(1)[3] = 1 << 10;

        Assert.Throws<ArgumentOutOfRangeException>(() => scorer.ScoreAsync(rows, RequestDeadline.None).AsTask().GetAwaiter().GetResult());
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

    private static async Task<float[]> Score(ICtrScorer scorer, long[] ids, int count)
    {
        var rows = scorer.Rent(count);
        try
        {
            for (var r = 0; r < count; r++)
            {
                ids.AsSpan(r * scorer.FeatureCount, scorer.FeatureCount).CopyTo(rows.Features(r));
            }

            Assert.True(await scorer.ScoreAsync(rows, RequestDeadline.None));
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

    private static void ScoreSync(OnnxCtrScorer scorer, long[] ids, int count, RequestDeadline deadline)
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
