using System.Globalization;
using BidEngine.Core.Features;
using BidEngine.Model.Authoring;

namespace BidEngine.Benchmarks.ModelCall;

/// <summary>
/// The shipped model's shape (F 19 from the feature spec, 2^18 ids, k 4) with random weights, written
/// once per process in the four graphs the model-call benchmarks compare, plus the same weights as a
/// plain C# table. Ids are uniform over the whole table, so most gathers miss the cache: the worst
/// case; a bidder's ids repeat (countries, device types, campaigns) and hit it more often.
/// </summary>
internal static class ModelCallFiles
{
    public const int FactorDim = 4;

    /// <summary>The previous 13-node graph (two tables), the one-table 5-node graph, and their int8 variants.</summary>
    public const string SplitFp32 = "split-fp32";
    public const string SplitInt8 = "split-int8";
    public const string TableFp32 = "table-fp32";
    public const string TableInt8 = "table-int8";

    private static readonly Lazy<(CtrModelWeights Weights, FmTable Table, Dictionary<string, string> Paths)> Files = new(Write);

    public static int FeatureCount => FeatureSpec.FeatureCount;

    public static int HashBits => FeatureSpec.DefaultHashBits;

    public static FmTable Table => Files.Value.Table;

    public static string Path(string graph) => Files.Value.Paths[graph];

    public static long[] Ids(int rows, int seed)
    {
        var rng = new Random(seed);
        var ids = new long[rows * FeatureCount];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = rng.NextInt64(1L << HashBits);
        }

        return ids;
    }

    private static (CtrModelWeights, FmTable, Dictionary<string, string>) Write()
    {
        var rng = new Random(11);
        var w = new CtrModelWeights(HashBits, FactorDim, FeatureCount) { Bias = -4.6f };
        for (var i = 0; i < w.Linear.Length; i++)
        {
            w.Linear[i] = (float)(rng.NextDouble() - 0.5) * 0.4f;
        }

        for (var i = 0; i < w.Factors.Length; i++)
        {
            w.Factors[i] = (float)(rng.NextDouble() - 0.5) * 0.2f;
        }

        w.Metadata = new Dictionary<string, string> { ["feature_spec_version"] = FeatureSpec.Version };
        var table = FmTable.From(w);
        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "bidengine-modelcall", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        var paths = new Dictionary<string, string>
        {
            [SplitFp32] = System.IO.Path.Combine(dir, "split.onnx"),
            [SplitInt8] = System.IO.Path.Combine(dir, "split.int8.onnx"),
            [TableFp32] = System.IO.Path.Combine(dir, "table.onnx"),
            [TableInt8] = System.IO.Path.Combine(dir, "table.int8.onnx"),
        };
        OnnxModelWriter.WriteSplitFp32(w, paths[SplitFp32]);
        OnnxModelWriter.WriteSplitInt8(QuantizedCtrModelWeights.Quantize(w), paths[SplitInt8]);
        OnnxModelWriter.WriteFp32(table, paths[TableFp32]);
        OnnxModelWriter.WriteInt8(QuantizedFmTable.Quantize(table), paths[TableInt8]);
        return (w, table, paths);
    }
}
