using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BidEngine.Benchmarks.Scoring;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Scoring;
using BidEngine.Model;
using BidEngine.Model.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace BidEngine.Benchmarks.ModelCall;

/// <summary>
/// One model call at batch 1 and 32, for the previous 13-node graph, the one-table graph and their int8
/// variants: <see cref="Raw"/> is RunWithBinding on pinned, bound I/O with the scorer's session options
/// (what ONNX Runtime costs), <see cref="Scorer"/> is <see cref="OnnxCtrScorer.ScoreAsync"/> on a rented
/// slot with a bounded limit (what the bidder pays: that plus input checks, the watchdog and the cost
/// estimate). Per row = Mean / Rows. <see cref="ModelCallPlainBenchmarks"/> is the same weights in plain C#.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ModelCallBenchmarks
{
    private InferenceSession _session = null!;
    private OrtValue _input = null!;
    private OrtValue _output = null!;
    private OrtIoBinding _binding = null!;
    private RunOptions _runOptions = null!;
    private OnnxCtrScorer _scorer = null!;
    private ScoringRows _rows = null!;
    private ModelTimeLimit _limit;

    [Params(ModelCallFiles.SplitFp32, ModelCallFiles.TableFp32, ModelCallFiles.SplitInt8, ModelCallFiles.TableInt8)]
    public string Graph { get; set; } = ModelCallFiles.TableFp32;

    [Params(1, 32)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var path = ModelCallFiles.Path(Graph);
        var ids = ModelCallFiles.Ids(Rows, Rows);
        var options = new ModelOptions { ModelPath = path };

        using (var sessionOptions = OnnxCtrScorer.CreateSessionOptions(options))
        {
            _session = new InferenceSession(path, sessionOptions);
        }

        var input = GC.AllocateArray<long>(ids.Length, pinned: true);
        ids.CopyTo(input, 0);
        var output = GC.AllocateArray<float>(Rows, pinned: true);
        _input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(), [Rows, ModelCallFiles.FeatureCount]);
        _output = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, output.AsMemory(), [Rows, 1]);
        _binding = _session.CreateIoBinding();
        _binding.BindInput(CtrModelGraph.InputName, _input);
        _binding.BindOutput(CtrModelGraph.OutputName, _output);
        _runOptions = new RunOptions();
        _session.RunWithBinding(_runOptions, _binding);

        _scorer = new OnnxCtrScorer(options);
        _scorer.Warmup();
        _rows = _scorer.Rent(Rows);
        for (var r = 0; r < Rows; r++)
        {
            ids.AsSpan(r * ModelCallFiles.FeatureCount, ModelCallFiles.FeatureCount).CopyTo(_rows.Features(r));
        }

        // A bounded limit from the deadline policy, so the watchdog bookkeeping is in the measured path as in production.
        var now = Stopwatch.GetTimestamp();
        _limit = new DeadlinePolicy(new DeadlineOptions()).ModelLimit(new RequestDeadline(now, now + (Stopwatch.Frequency * 3600)));
    }

    [Benchmark]
    public void Raw() => _session.RunWithBinding(_runOptions, _binding);

    [Benchmark]
    public bool Scorer() => ScoringModelFiles.Wait(_scorer.ScoreAsync(_rows, _limit));

    [GlobalCleanup]
    public void Cleanup()
    {
        _scorer.Return(_rows);
        _scorer.Dispose();
        _binding.Dispose();
        _runOptions.Dispose();
        _input.Dispose();
        _output.Dispose();
        _session.Dispose();
    }
}
