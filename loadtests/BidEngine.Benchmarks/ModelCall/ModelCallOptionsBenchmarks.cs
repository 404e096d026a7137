using BenchmarkDotNet.Attributes;
using BidEngine.Model;
using BidEngine.Model.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace BidEngine.Benchmarks.ModelCall;

/// <summary>
/// Session and run options one at a time against the scorer's own (<see cref="OnnxCtrScorer.CreateSessionOptions"/>:
/// sequential, all optimizations, 1 intra-op thread, no spinning), on the one-table fp32 graph, raw
/// RunWithBinding on pinned, bound I/O at batch 1 and 32.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ModelCallOptionsBenchmarks
{
    private InferenceSession _session = null!;
    private OrtValue _input = null!;
    private OrtValue _output = null!;
    private OrtIoBinding _binding = null!;
    private RunOptions _runOptions = null!;

    [Params("scorer", "opt-disable-all", "opt-basic", "opt-extended", "parallel", "no-mem-pattern", "no-arena", "denormal-as-zero",
        "spinning", "intra-2", "no-prepacking", "session-log-fatal", "run-log-fatal", "no-ep-sync")]
    public string Option { get; set; } = "scorer";

    [Params(1, 32)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var path = ModelCallFiles.Path(ModelCallFiles.TableFp32);
        using (var so = OnnxCtrScorer.CreateSessionOptions(new ModelOptions { ModelPath = path }))
        {
            switch (Option)
            {
                case "opt-disable-all": so.GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL; break;
                case "opt-basic": so.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC; break;
                case "opt-extended": so.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED; break;
                case "parallel": so.ExecutionMode = ExecutionMode.ORT_PARALLEL; break;
                case "no-mem-pattern": so.EnableMemoryPattern = false; break;
                case "no-arena": so.EnableCpuMemArena = false; break;
                case "denormal-as-zero": so.AddSessionConfigEntry("session.set_denormal_as_zero", "1"); break;
                case "spinning": so.AddSessionConfigEntry("session.intra_op.allow_spinning", "1"); break;
                case "intra-2": so.IntraOpNumThreads = 2; break;
                case "no-prepacking": so.AddSessionConfigEntry("session.disable_prepacking", "1"); break;
                case "session-log-fatal": so.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL; break;
                default: break;
            }

            _session = new InferenceSession(path, so);
        }

        _runOptions = new RunOptions();
        if (Option == "run-log-fatal")
        {
            _runOptions.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        }
        else if (Option == "no-ep-sync")
        {
            _runOptions.AddRunConfigEntry("disable_synchronize_execution_providers", "1");
        }

        var input = GC.AllocateArray<long>(Rows * ModelCallFiles.FeatureCount, pinned: true);
        ModelCallFiles.Ids(Rows, Rows).CopyTo(input, 0);
        var output = GC.AllocateArray<float>(Rows, pinned: true);
        _input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(), [Rows, ModelCallFiles.FeatureCount]);
        _output = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, output.AsMemory(), [Rows, 1]);
        _binding = _session.CreateIoBinding();
        _binding.BindInput(CtrModelGraph.InputName, _input);
        _binding.BindOutput(CtrModelGraph.OutputName, _output);
        _session.RunWithBinding(_runOptions, _binding);
    }

    [Benchmark]
    public void Raw() => _session.RunWithBinding(_runOptions, _binding);

    [GlobalCleanup]
    public void Cleanup()
    {
        _binding.Dispose();
        _runOptions.Dispose();
        _input.Dispose();
        _output.Dispose();
        _session.Dispose();
    }
}
