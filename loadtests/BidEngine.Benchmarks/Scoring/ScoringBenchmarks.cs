using BenchmarkDotNet.Attributes;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Scoring;
using BidEngine.Model;

namespace BidEngine.Benchmarks.Scoring;

/// <summary>
/// One scoring call (rows already hashed into the rented slot) at batch 1, 8, 32, 128, fp32 vs int8,
/// production-shaped model (F from the feature spec, 2^18 ids, k 8). Per row = Mean / Rows.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ScoringBenchmarks
{
    private OnnxCtrScorer _scorer = null!;
    private ScoringRows _rows = null!;
    private ModelTimeLimit _limit;

    [Params(1, 8, 32, 128)]
    public int Rows { get; set; }

    [Params("fp32", "int8")]
    public string Precision { get; set; } = "fp32";

    [GlobalSetup]
    public void Setup()
    {
        _scorer = new OnnxCtrScorer(new ModelOptions { ModelPath = ScoringModelFiles.Path(Precision) });
        _scorer.Warmup();
        _rows = _scorer.Rent(Rows);
        ScoringModelFiles.Fill(_rows, new Random(Rows));

        // A bounded limit from the deadline policy, so the watchdog bookkeeping is in the measured path as in production.
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        _limit = new DeadlinePolicy(new DeadlineOptions()).ModelLimit(new RequestDeadline(now, now + (System.Diagnostics.Stopwatch.Frequency * 3600)));
    }

    [Benchmark]
    public bool Score() => ScoringModelFiles.Wait(_scorer.ScoreAsync(_rows, _limit));

    [GlobalCleanup]
    public void Cleanup()
    {
        _scorer.Return(_rows);
        _scorer.Dispose();
    }
}
