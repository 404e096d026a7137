using System.Globalization;
using BidEngine.Model.Onnx;
using global::Onnx;

namespace BidEngine.Model.Authoring;

/// <summary>
/// The graphs the models were written with before the one-table layout: a linear table and a factor
/// table gathered separately, the FM identity in 11 more nodes (13 in all; the int8 graph dequantizes
/// per block of 32 ids after each Gather, 17 nodes). Kept so that benchmarks and the audit measure
/// the new graphs against them on the same weights; the bidder loads either.
/// </summary>
public static partial class OnnxModelWriter
{
    public const string GraphFmTable = "fm-table";
    public const string GraphSplitTables = "split-tables";

    public static void WriteSplitFp32(CtrModelWeights weights, string path)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Save(BuildSplitFp32(weights), path);
    }

    public static void WriteSplitInt8(QuantizedCtrModelWeights weights, string path)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Save(BuildSplitInt8(weights), path);
    }

    internal static ModelProto BuildSplitFp32(CtrModelWeights w)
    {
        var g = new GraphProto { Name = "ctr_lr_fm_fp32" };
        AddIo(g, w.FeatureCount);
        AddSplitConstants(g, w.Bias);
        g.Initializer.Add(Tensor("linear", DataType.Float, [w.Rows], Bytes<float>(w.Linear)));
        g.Initializer.Add(Tensor("factors", DataType.Float, [w.Rows, w.FactorDim], Bytes<float>(w.Factors)));

        g.Node.Add(Node("Gather", ["linear", InputName], ["linear_rows"], Int("axis", 0)));
        g.Node.Add(Node("Gather", ["factors", InputName], ["v"], Int("axis", 0)));
        AddFm(g);
        return Model(g, w.Metadata, Shape(w.HashBits, w.FactorDim, w.FeatureCount, "fp32", GraphSplitTables));
    }

    internal static ModelProto BuildSplitInt8(QuantizedCtrModelWeights w)
    {
        var g = new GraphProto { Name = "ctr_lr_fm_int8" };
        AddIo(g, w.FeatureCount);
        AddSplitConstants(g, w.Bias);
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

        var props = Shape(w.HashBits, w.FactorDim, w.FeatureCount, "int8", GraphSplitTables);
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

    private static void AddSplitConstants(GraphProto g, float bias)
    {
        g.Initializer.Add(Tensor("bias", DataType.Float, [1], Bytes<float>([bias])));
        g.Initializer.Add(Tensor("half", DataType.Float, [], Bytes<float>([0.5f])));
        g.Initializer.Add(Tensor("axis1", DataType.Int64, [1], Bytes<long>([1])));
    }
}
