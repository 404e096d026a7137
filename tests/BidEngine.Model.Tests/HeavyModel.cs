using System.Diagnostics;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Scoring;
using BidEngine.Model.Onnx;

namespace BidEngine.Model.Tests;

/// <summary>
/// A model heavy enough that one 1024-row run takes several milliseconds (F 128, k 128; about 4x the 4 ms the tests need, so a loaded machine still qualifies), for tests
/// that need a run still in flight while something else happens: the watchdog, group commit.
/// </summary>
internal sealed class HeavyModel : IDisposable
{
    private readonly string _directory;

    public HeavyModel(BatchingMode batching = BatchingMode.None)
    {
        Weights = TestModels.Random(hashBits: 12, factorDim: 128, featureCount: 128, seed: 5);
        _directory = TestModels.TempDirectory();
        var path = Path.Combine(_directory, "heavy.onnx");
        OnnxModelWriter.WriteFp32(Weights, path);
        Scorer = new OnnxCtrScorer(new ModelOptions { ModelPath = path, MaxBatchRows = 1024, PreallocatedSlotsPerBucket = 1, Batching = batching });
        Ids = TestModels.Ids(1024, 128, 12, 6);
    }

    public CtrModelWeights Weights { get; }

    public OnnxCtrScorer Scorer { get; }

    public long[] Ids { get; }

    /// <summary>Rents 1024 rows filled with <see cref="Ids"/>, after checking that a run of them takes more than 4 ms here.</summary>
    public ScoringRows RentFull()
    {
        var rows = Scorer.Rent(1024);
        for (var r = 0; r < 1024; r++)
        {
            Ids.AsSpan(r * 128, 128).CopyTo(rows.Features(r));
        }

        var fastest = long.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var t = Stopwatch.GetTimestamp();
            if (!Scorer.ScoreAsync(rows, ModelTimeLimit.None).AsTask().GetAwaiter().GetResult())
            {
                throw new InvalidOperationException("An unlimited run failed.");
            }

            fastest = Math.Min(fastest, Stopwatch.GetTimestamp() - t);
        }

        Assert.True(fastest > Stopwatch.Frequency / 250, $"The heavy run took only {fastest * 1e3 / Stopwatch.Frequency:F2} ms; the test needs > 4 ms.");
        return rows;
    }

    public void Dispose()
    {
        Scorer.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
