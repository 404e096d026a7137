using BenchmarkDotNet.Attributes;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Scoring;
using BidEngine.Model;

namespace BidEngine.Benchmarks.Scoring;

/// <summary>The SessionOptions choice: intra-op threads 1 vs 2, ORT pool spinning off vs on (fp32, one caller).</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class SessionOptionsBenchmarks
{
    private OnnxCtrScorer _scorer = null!;
    private ScoringRows _rows = null!;

    [Params(1, 2)]
    public int IntraOpThreads { get; set; }

    [Params(false, true)]
    public bool AllowSpinning { get; set; }

    [Params(8, 128)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _scorer = new OnnxCtrScorer(new ModelOptions
        {
            ModelPath = ScoringModelFiles.Path("fp32"),
            IntraOpThreads = IntraOpThreads,
            AllowSpinning = AllowSpinning,
        });
        _scorer.Warmup();
        _rows = _scorer.Rent(Rows);
        ScoringModelFiles.Fill(_rows, new Random(Rows));
    }

    [Benchmark]
    public bool Score() => ScoringModelFiles.Wait(_scorer.ScoreAsync(_rows, ModelTimeLimit.None));

    [GlobalCleanup]
    public void Cleanup()
    {
        _scorer.Return(_rows);
        _scorer.Dispose();
    }
}
