using System.Diagnostics;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Scoring;
using BidEngine.Model.Onnx;

namespace BidEngine.Model.Tests;

/// <summary>
/// A model heavy enough that one 1024-row run takes several milliseconds, for tests that need a run
/// still in flight while something else happens: the watchdog, group commit. It starts at F 128,
/// k 128 (20 ms or more a run on the shared 2-core test machine) and doubles k, then F, until a
/// run takes more than <see cref="MinRun"/>: a fast CPU gets a heavier model instead of a failed test.
/// </summary>
internal sealed class HeavyModel : IDisposable
{
    /// <summary>About 4x the ~1 ms the watchdog tests' limits need, so a loaded machine still qualifies.</summary>
    private static readonly TimeSpan MinRun = TimeSpan.FromMilliseconds(4);

    private const int Rows = 1024;
    private const int HashBits = 12;

    /// <summary>Each step twice the work of the one before, up to the exporter's largest k and 8 times its F: 16 times the first.</summary>
    private static readonly (int FeatureCount, int FactorDim)[] Steps = [(128, 128), (128, 256), (256, 256), (512, 256), (1024, 256)];

    private readonly string _directory;

    public HeavyModel(BatchingMode batching = BatchingMode.None)
    {
        _directory = TestModels.TempDirectory();
        OnnxCtrScorer? previous = null;
        foreach (var (featureCount, factorDim) in Steps)
        {
            FeatureCount = featureCount;
            Ids = TestModels.Ids(Rows, featureCount, HashBits, 6);
            Weights = TestModels.Random(hashBits: HashBits, factorDim: factorDim, featureCount: featureCount, seed: 5);
            var path = Path.Combine(_directory, $"heavy-f{featureCount}-k{factorDim}.onnx");
            OnnxModelWriter.WriteFp32(Weights, path);
            previous?.Dispose();
            Scorer = previous = new OnnxCtrScorer(new ModelOptions { ModelPath = path, MaxBatchRows = Rows, PreallocatedSlotsPerBucket = 1, Batching = batching });
            Run = FastestRun();
            if (Run > MinRun)
            {
                return;
            }
        }

        // Not reached on any CPU we know: the last step is 16 times the work of the first, on one thread.
        Dispose();
        Assert.Fail($"The heaviest model (F 1024, k 256) runs 1024 rows in {Run.TotalMilliseconds:F2} ms; its tests need more than {MinRun.TotalMilliseconds} ms.");
    }

    public CtrModelWeights Weights { get; private set; } = null!;

    public OnnxCtrScorer Scorer { get; private set; } = null!;

    /// <summary>Features per row (F): <see cref="Ids"/> holds 1024 rows of this many.</summary>
    public int FeatureCount { get; private set; }

    public long[] Ids { get; private set; } = [];

    /// <summary>The fastest of three unlimited 1024-row runs, measured when the model was made.</summary>
    public TimeSpan Run { get; private set; }

    /// <summary>Rents 1024 rows filled with <see cref="Ids"/>.</summary>
    public ScoringRows RentFull()
    {
        var rows = Scorer.Rent(Rows);
        for (var r = 0; r < Rows; r++)
        {
            Ids.AsSpan(r * FeatureCount, FeatureCount).CopyTo(rows.Features(r));
        }

        return rows;
    }

    public void Dispose()
    {
        Scorer.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private TimeSpan FastestRun()
    {
        var rows = RentFull();
        try
        {
            var fastest = TimeSpan.MaxValue;
            for (var i = 0; i < 3; i++)
            {
                var t = Stopwatch.GetTimestamp();
                if (!Scorer.ScoreAsync(rows, ModelTimeLimit.None).AsTask().GetAwaiter().GetResult())
                {
                    throw new InvalidOperationException("An unlimited run failed.");
                }

                var elapsed = Stopwatch.GetElapsedTime(t);
                fastest = elapsed < fastest ? elapsed : fastest;
            }

            return fastest;
        }
        finally
        {
            Scorer.Return(rows);
        }
    }
}
