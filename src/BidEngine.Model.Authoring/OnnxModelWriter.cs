using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using BidEngine.Model.Onnx;
using global::Onnx;

namespace BidEngine.Model.Authoring;

/// <summary>
/// Writes the CTR model as an ONNX file (OnnxSharp's protobuf classes): input <c>features</c>
/// int64 [N, F], output <c>ctr</c> float [N, 1], weights as initializers, opset 17.
/// ONNX Runtime pays a fixed cost per node, and the model's arithmetic is tiny, so the graphs have as
/// few nodes as the maths needs: one Gather over one table [ids, 1 + k] (<see cref="FmTable"/>), one
/// ReduceSum over the request's ids, Pow by [1, 2, …, 2] (the id terms as they are, the factor sums
/// squared), one Gemm that weighs the columns and adds the bias, Sigmoid. The int8 graph gathers
/// int8 rows and casts them (one node more); its per-column scales are folded into the Gemm weights.
/// The previous graphs (two tables, 13 and 17 nodes) are still written by the <c>WriteSplit*</c>
/// methods, for the benchmarks and the audit to compare against.
/// </summary>
public static partial class OnnxModelWriter
{
    public const string InputName = CtrModelGraph.InputName;
    public const string OutputName = CtrModelGraph.OutputName;
    public const int Opset = 17;

    /// <summary>IR 8 goes with opset 17 (ONNX 1.12+); every ORT since 1.12 loads it.</summary>
    public const long IrVersion = 8;

    /// <summary>Conventional file names in the models folder.</summary>
    public const string Fp32FileName = "ctr.onnx";
    public const string Int8FileName = "ctr.int8.onnx";

    public static void WriteFp32(CtrModelWeights weights, string path)
    {
        ArgumentNullException.ThrowIfNull(weights);
        WriteFp32(FmTable.From(weights), path);
    }

    public static void WriteFp32(FmTable table, string path)
    {
        ArgumentNullException.ThrowIfNull(table);
        Save(BuildFp32(table), path);
    }

    public static void WriteInt8(QuantizedFmTable table, string path)
    {
        ArgumentNullException.ThrowIfNull(table);
        Save(BuildInt8(table), path);
    }

    /// <summary>Writes both variants (<see cref="Fp32FileName"/>, <see cref="Int8FileName"/>) into <paramref name="directory"/>.</summary>
    public static (string Fp32Path, string Int8Path) WriteBoth(CtrModelWeights weights, string directory)
    {
        Directory.CreateDirectory(directory);
        var fp32 = Path.Combine(directory, Fp32FileName);
        var int8 = Path.Combine(directory, Int8FileName);
        var table = FmTable.From(weights);
        WriteFp32(table, fp32);
        WriteInt8(QuantizedFmTable.Quantize(table), int8);
        return (fp32, int8);
    }

    internal static ModelProto BuildFp32(FmTable t)
    {
        var g = new GraphProto { Name = "ctr_fm_table_fp32" };
        AddIo(g, t.FeatureCount);
        g.Initializer.Add(Tensor("table", DataType.Float, [t.Rows, t.Width], Bytes<float>(t.Values)));
        var weights = new float[t.Width];
        weights[0] = 1f;
        weights.AsSpan(1).Fill(0.5f);
        AddHead(g, t.Width, t.Bias, weights);

        g.Node.Add(Node("Gather", ["table", InputName], ["rows"], Int("axis", 0)));
        g.Node.Add(Node("ReduceSum", ["rows", "axis1"], ["sums"], Int("keepdims", 0)));
        AddPowGemmSigmoid(g);
        return Model(g, t.Metadata, Shape(t.HashBits, t.FactorDim, t.FeatureCount, "fp32", GraphFmTable));
    }

    internal static ModelProto BuildInt8(QuantizedFmTable t)
    {
        var g = new GraphProto { Name = "ctr_fm_table_int8" };
        AddIo(g, t.FeatureCount);
        g.Initializer.Add(Tensor("table_q", DataType.Int8, [t.Rows, t.Width], Bytes<sbyte>(t.Values)));

        // S[0] × s₀ and ½ (S[k] × s_k)² = ½ s_k² × S[k]²: the scales leave the loop over ids.
        var weights = new float[t.Width];
        weights[0] = t.Scales[0];
        for (var j = 1; j < weights.Length; j++)
        {
            weights[j] = 0.5f * t.Scales[j] * t.Scales[j];
        }

        AddHead(g, t.Width, t.Bias, weights);
        g.Node.Add(Node("Gather", ["table_q", InputName], ["rows_q"], Int("axis", 0)));
        g.Node.Add(Node("Cast", ["rows_q"], ["rows"], Int("to", DataType.Float)));
        g.Node.Add(Node("ReduceSum", ["rows", "axis1"], ["sums"], Int("keepdims", 0)));
        AddPowGemmSigmoid(g);

        var props = Shape(t.HashBits, t.FactorDim, t.FeatureCount, "int8", GraphFmTable);
        props[ModelMetadataKeys.QuantScales] = "per-column";
        return Model(g, t.Metadata, props);
    }

    /// <summary>The constants of the last three nodes: exponents [1, 2, …, 2], column weights [W, 1], bias [1].</summary>
    private static void AddHead(GraphProto g, int width, float bias, float[] weights)
    {
        var exponents = new float[width];
        exponents.AsSpan().Fill(2f);
        exponents[0] = 1f;
        g.Initializer.Add(Tensor("axis1", DataType.Int64, [1], Bytes<long>([1])));
        g.Initializer.Add(Tensor("exponents", DataType.Float, [width], Bytes<float>(exponents)));
        g.Initializer.Add(Tensor("column_weights", DataType.Float, [width, 1], Bytes<float>(weights)));
        g.Initializer.Add(Tensor("bias", DataType.Float, [1], Bytes<float>([bias])));
    }

    /// <summary>From <c>sums</c> [N, W] to <c>ctr</c> [N, 1]: σ(Pow(sums, exponents) · column_weights + bias).</summary>
    private static void AddPowGemmSigmoid(GraphProto g)
    {
        g.Node.Add(Node("Pow", ["sums", "exponents"], ["terms"]));
        g.Node.Add(Node("Gemm", ["terms", "column_weights", "bias"], ["logit"]));
        g.Node.Add(Node("Sigmoid", ["logit"], [OutputName]));
    }

    private static void AddIo(GraphProto g, int featureCount)
    {
        g.Input.Add(ValueInfo(InputName, DataType.Int64, featureCount));
        g.Output.Add(ValueInfo(OutputName, DataType.Float, 1));
    }

    private static Dictionary<string, string> Shape(int hashBits, int factorDim, int featureCount, string precision, string graph) => new(StringComparer.Ordinal)
    {
        [ModelMetadataKeys.Graph] = graph,
        [ModelMetadataKeys.Family] = ModelMetadataKeys.FamilyValue,
        [ModelMetadataKeys.HashBits] = hashBits.ToString(CultureInfo.InvariantCulture),
        [ModelMetadataKeys.FactorDim] = factorDim.ToString(CultureInfo.InvariantCulture),
        [ModelMetadataKeys.FeatureCount] = featureCount.ToString(CultureInfo.InvariantCulture),
        [ModelMetadataKeys.Precision] = precision,
    };

    private static ModelProto Model(GraphProto graph, IReadOnlyDictionary<string, string> userMetadata, Dictionary<string, string> reserved)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            // The name it had before the writer moved out of BidEngine.Model: the same weights give the same bytes.
            ProducerName = "BidEngine.Model",
            ProducerVersion = typeof(OnnxModelWriter).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });

        // Reserved keys describe the file itself, so the writer's values win over the caller's.
        foreach (var (key, value) in userMetadata.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!ModelMetadataKeys.IsReserved(key))
            {
                model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
            }
        }

        foreach (var (key, value) in reserved)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    private static void Save(ModelProto model, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        // Write beside and rename so a server watching the folder never sees half a file.
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            model.WriteTo(stream);
        }

        File.Move(temp, path, overwrite: true);
    }

    private static ByteString Bytes<T>(ReadOnlySpan<T> values)
        where T : unmanaged
        => ByteString.CopyFrom(MemoryMarshal.AsBytes(values)); // ONNX raw_data is little-endian, as is every platform .NET runs this on.

    private static TensorProto Tensor(string name, int dataType, long[] dims, ByteString raw)
    {
        var t = new TensorProto { Name = name, DataType = dataType, RawData = raw };
        t.Dims.Add(dims);
        return t;
    }

    private static ValueInfoProto ValueInfo(string name, int elemType, long secondDim)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = secondDim });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elemType, Shape = shape } },
        };
    }

    private static NodeProto Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = op, Name = outputs[0] + "_" + op };
        n.Input.Add(inputs);
        n.Output.Add(outputs);
        n.Attribute.Add(attributes);
        return n;
    }

    private static AttributeProto Int(string name, long value)
        => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>The ONNX TensorProto.DataType values used here.</summary>
    private static class DataType
    {
        public const int Float = 1;
        public const int Int8 = 3;
        public const int Int64 = 7;
    }
}
