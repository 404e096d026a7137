using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using BidEngine.Model.Onnx;
using global::Onnx;

namespace BidEngine.Model.Authoring;

/// <summary>
/// Writes the CTR model as an ONNX file (OnnxSharp's protobuf classes): input <c>features</c>
/// int64 [N, F], output <c>ctr</c> float [N, 1], weights as initializers, opset 17.
/// The fp32 graph gathers rows of the tables; the int8 graph gathers int8 rows and their block
/// scales and dequantizes only those (Cast, Mul), so a run never touches the whole table.
/// </summary>
public static class OnnxModelWriter
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
        Save(BuildFp32(weights), path);
    }

    public static void WriteInt8(QuantizedCtrModelWeights weights, string path)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Save(BuildInt8(weights), path);
    }

    /// <summary>Writes both variants (<see cref="Fp32FileName"/>, <see cref="Int8FileName"/>) into <paramref name="directory"/>.</summary>
    public static (string Fp32Path, string Int8Path) WriteBoth(CtrModelWeights weights, string directory, int blockRows = QuantizedCtrModelWeights.DefaultBlockRows)
    {
        Directory.CreateDirectory(directory);
        var fp32 = Path.Combine(directory, Fp32FileName);
        var int8 = Path.Combine(directory, Int8FileName);
        WriteFp32(weights, fp32);
        WriteInt8(QuantizedCtrModelWeights.Quantize(weights, blockRows), int8);
        return (fp32, int8);
    }

    internal static ModelProto BuildFp32(CtrModelWeights w)
    {
        var g = new GraphProto { Name = "ctr_lr_fm_fp32" };
        AddIo(g, w.FeatureCount);
        AddCommonConstants(g, w.Bias);
        g.Initializer.Add(Tensor("linear", DataType.Float, [w.Rows], Bytes<float>(w.Linear)));
        g.Initializer.Add(Tensor("factors", DataType.Float, [w.Rows, w.FactorDim], Bytes<float>(w.Factors)));

        g.Node.Add(Node("Gather", ["linear", InputName], ["linear_rows"], Int("axis", 0)));
        g.Node.Add(Node("Gather", ["factors", InputName], ["v"], Int("axis", 0)));
        AddFm(g);
        return Model(g, w.Metadata, Shape(w.HashBits, w.FactorDim, w.FeatureCount, "fp32"));
    }

    internal static ModelProto BuildInt8(QuantizedCtrModelWeights w)
    {
        var g = new GraphProto { Name = "ctr_lr_fm_int8" };
        AddIo(g, w.FeatureCount);
        AddCommonConstants(g, w.Bias);
        var blocks = w.Rows / w.BlockRows;
        g.Initializer.Add(Tensor("linear_q", DataType.Int8, [w.Rows], Bytes<sbyte>(w.Linear)));
        g.Initializer.Add(Tensor("linear_scale", DataType.Float, [blocks], Bytes<float>(w.LinearScales)));
        g.Initializer.Add(Tensor("factors_q", DataType.Int8, [w.Rows, w.FactorDim], Bytes<sbyte>(w.Factors)));
        g.Initializer.Add(Tensor("factor_scale", DataType.Float, [blocks], Bytes<float>(w.FactorScales)));
        g.Initializer.Add(Tensor("block_rows", DataType.Int64, [], Bytes<long>([w.BlockRows])));
        g.Initializer.Add(Tensor("axis2", DataType.Int64, [1], Bytes<long>([2])));

        // Block of each id: features / BlockRows ([N, F] int64; ids are non-negative so Div truncates as wanted).
        g.Node.Add(Node("Div", [InputName, "block_rows"], ["block"]));

        // Linear: Gather int8 [N, F] → float × Gather(scale, block) [N, F].
        g.Node.Add(Node("Gather", ["linear_q", InputName], ["linear_rows_q"], Int("axis", 0)));
        g.Node.Add(Node("Cast", ["linear_rows_q"], ["linear_rows_f"], Int("to", DataType.Float)));
        g.Node.Add(Node("Gather", ["linear_scale", "block"], ["linear_rows_scale"], Int("axis", 0)));
        g.Node.Add(Node("Mul", ["linear_rows_f", "linear_rows_scale"], ["linear_rows"]));

        // Factors: Gather int8 [N, F, k] → float × Unsqueeze(Gather(scale, block), 2) [N, F, 1].
        g.Node.Add(Node("Gather", ["factors_q", InputName], ["v_q"], Int("axis", 0)));
        g.Node.Add(Node("Cast", ["v_q"], ["v_f"], Int("to", DataType.Float)));
        g.Node.Add(Node("Gather", ["factor_scale", "block"], ["v_scale2"], Int("axis", 0)));
        g.Node.Add(Node("Unsqueeze", ["v_scale2", "axis2"], ["v_scale"]));
        g.Node.Add(Node("Mul", ["v_f", "v_scale"], ["v"]));
        AddFm(g);

        var props = Shape(w.HashBits, w.FactorDim, w.FeatureCount, "int8");
        props[ModelMetadataKeys.QuantBlockRows] = w.BlockRows.ToString(CultureInfo.InvariantCulture);
        return Model(g, w.Metadata, props);
    }

    /// <summary>
    /// From <c>linear_rows</c> [N, F] and <c>v</c> [N, F, k] to <c>ctr</c> [N, 1]:
    /// σ(bias + Σ_f linear + ½ Σ_k ((Σ_f v)² − Σ_f v²)).
    /// </summary>
    private static void AddFm(GraphProto g)
    {
        g.Node.Add(Node("ReduceSum", ["linear_rows", "axis1"], ["linear_sum"], Int("keepdims", 1)));
        g.Node.Add(Node("ReduceSum", ["v", "axis1"], ["v_sum"], Int("keepdims", 0)));
        g.Node.Add(Node("Mul", ["v_sum", "v_sum"], ["v_sum_sq"]));
        g.Node.Add(Node("Mul", ["v", "v"], ["v_sq"]));
        g.Node.Add(Node("ReduceSum", ["v_sq", "axis1"], ["v_sq_sum"], Int("keepdims", 0)));
        g.Node.Add(Node("Sub", ["v_sum_sq", "v_sq_sum"], ["pairs_k"]));
        g.Node.Add(Node("ReduceSum", ["pairs_k", "axis1"], ["pairs2"], Int("keepdims", 1)));
        g.Node.Add(Node("Mul", ["pairs2", "half"], ["pairs"]));
        g.Node.Add(Node("Add", ["linear_sum", "pairs"], ["logit0"]));
        g.Node.Add(Node("Add", ["logit0", "bias"], ["logit"]));
        g.Node.Add(Node("Sigmoid", ["logit"], [OutputName]));
    }

    private static void AddIo(GraphProto g, int featureCount)
    {
        g.Input.Add(ValueInfo(InputName, DataType.Int64, featureCount));
        g.Output.Add(ValueInfo(OutputName, DataType.Float, 1));
    }

    private static void AddCommonConstants(GraphProto g, float bias)
    {
        g.Initializer.Add(Tensor("bias", DataType.Float, [1], Bytes<float>([bias])));
        g.Initializer.Add(Tensor("half", DataType.Float, [], Bytes<float>([0.5f])));
        g.Initializer.Add(Tensor("axis1", DataType.Int64, [1], Bytes<long>([1])));
    }

    private static Dictionary<string, string> Shape(int hashBits, int factorDim, int featureCount, string precision) => new(StringComparer.Ordinal)
    {
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
