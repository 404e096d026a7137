using BenchmarkDotNet.Attributes;
using BidEngine.Model.Authoring;

namespace BidEngine.Benchmarks.ModelCall;

/// <summary>The weights of <see cref="ModelCallBenchmarks"/> evaluated in plain C# (<see cref="FmTable.Predict"/>): the floor of the arithmetic.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ModelCallPlainBenchmarks
{
    private FmTable _table = null!;
    private long[] _ids = null!;
    private float[] _output = null!;

    [Params(1, 32)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _table = ModelCallFiles.Table;
        _ids = ModelCallFiles.Ids(Rows, Rows);
        _output = new float[Rows];
    }

    [Benchmark]
    public float PlainCSharp()
    {
        var f = ModelCallFiles.FeatureCount;
        for (var r = 0; r < _output.Length; r++)
        {
            _output[r] = _table.Predict(_ids.AsSpan(r * f, f));
        }

        return _output[0];
    }
}
