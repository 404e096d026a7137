using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BidEngine.Core.Deadlines;
using BidEngine.Model;

namespace BidEngine.Benchmarks.Scoring;

/// <summary>
/// Batched (group commit) vs unbatched under concurrency: <see cref="Callers"/> concurrent callers,
/// each making <see cref="CallsPerCaller"/> calls of 1–4 rows. One invocation = all calls, so
/// rows/s = Rows / Mean. p99 per call is printed to the log at the end (BenchmarkDotNet has no column for it).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class BatchingBenchmarks
{
    public const int CallsPerCaller = 200;

    private OnnxCtrScorer _scorer = null!;
    private long[] _latencies = null!;
    private int _latencyCount;
    private readonly List<double> _p99Micros = [];
    private readonly List<double> _p50Micros = [];

    [Params(8, 32)]
    public int Callers { get; set; }

    [Params(BatchingMode.None, BatchingMode.GroupCommit)]
    public BatchingMode Batching { get; set; }

    /// <summary>Rows scored per invocation: callers × calls × 2.5 average rows.</summary>
    public int RowsPerInvocation => Callers * CallsPerCaller * 5 / 2;

    [GlobalSetup]
    public void Setup()
    {
        _scorer = new OnnxCtrScorer(new ModelOptions { ModelPath = ScoringModelFiles.Path("fp32"), Batching = Batching, PreallocatedSlotsPerBucket = 64 });
        _scorer.Warmup();
        _latencies = new long[Callers * CallsPerCaller];
    }

    [IterationSetup]
    public void IterationSetup() => _latencyCount = 0;

    [Benchmark]
    public Task Concurrent()
    {
        var tasks = new Task[Callers];
        for (var c = 0; c < Callers; c++)
        {
            var caller = c;
            tasks[c] = Task.Run(() => Caller(caller));
        }

        return Task.WhenAll(tasks);
    }

    [IterationCleanup]
    public void IterationCleanup()
    {
        var n = Math.Min(_latencyCount, _latencies.Length);
        if (n == 0)
        {
            return;
        }

        Array.Sort(_latencies, 0, n);
        _p50Micros.Add(_latencies[n / 2] * 1e6 / Stopwatch.Frequency);
        _p99Micros.Add(_latencies[Math.Min(n - 1, (int)(n * 0.99))] * 1e6 / Stopwatch.Frequency);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _p99Micros.Sort();
        _p50Micros.Sort();
        if (_p99Micros.Count > 0)
        {
            Console.WriteLine($"// BATCHING {Batching} callers={Callers}: per-call p50 {_p50Micros[_p50Micros.Count / 2]:F1} us, p99 {_p99Micros[_p99Micros.Count / 2]:F1} us (median over {_p99Micros.Count} iterations); counters {_scorer.Counters}");
        }

        _scorer.Dispose();
    }

    private async Task Caller(int caller)
    {
        var rng = new Random(caller);
        for (var i = 0; i < CallsPerCaller; i++)
        {
            var count = 1 + ((caller + i) & 3);
            var rows = _scorer.Rent(count);
            ScoringModelFiles.Fill(rows, rng);
            var start = Stopwatch.GetTimestamp();
            await _scorer.ScoreAsync(rows, ModelTimeLimit.None).ConfigureAwait(false);
            var elapsed = Stopwatch.GetTimestamp() - start;
            _scorer.Return(rows);
            var at = Interlocked.Increment(ref _latencyCount) - 1;
            if (at < _latencies.Length)
            {
                _latencies[at] = elapsed;
            }
        }
    }
}
