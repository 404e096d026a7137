namespace BidEngine.Model.Authoring;

/// <summary>
/// <see cref="CtrModelWeights"/> stored as int8 with one float scale per block of
/// <see cref="BlockRows"/> consecutive ids (symmetric: value ≈ q × scale, q in [−127, 127]).
/// Per-block rather than per-row scales keep the file near a quarter of fp32: at k = 8 a row is
/// 1 + 8 bytes plus 8/BlockRows bytes of scales against 36 bytes in fp32 (0.25 at 32-row blocks).
/// The graph dequantizes only the gathered rows: Gather(q) → Cast → Mul(Gather(scale, id / BlockRows)).
/// </summary>
public sealed class QuantizedCtrModelWeights
{
    /// <summary>32 ids per scale: 0.25 B of scales per row for both tables, and the block max-abs stays local.</summary>
    public const int DefaultBlockRows = 32;

    private QuantizedCtrModelWeights(CtrModelWeights source, int blockRows)
    {
        HashBits = source.HashBits;
        FactorDim = source.FactorDim;
        FeatureCount = source.FeatureCount;
        Bias = source.Bias;
        BlockRows = blockRows;
        Metadata = source.Metadata;
        var rows = source.Rows;
        var blocks = rows / blockRows;
        Linear = new sbyte[rows];
        LinearScales = new float[blocks];
        Factors = new sbyte[source.Factors.LongLength];
        FactorScales = new float[blocks];
        var k = FactorDim;
        for (var b = 0; b < blocks; b++)
        {
            LinearScales[b] = QuantizeBlock(source.Linear.AsSpan(b * blockRows, blockRows), Linear.AsSpan(b * blockRows, blockRows));
            FactorScales[b] = QuantizeBlock(source.Factors.AsSpan(b * blockRows * k, blockRows * k), Factors.AsSpan(b * blockRows * k, blockRows * k));
        }
    }

    public int HashBits { get; }

    public int FactorDim { get; }

    public int FeatureCount { get; }

    public int Rows => 1 << HashBits;

    public float Bias { get; }

    /// <summary>Ids per scale; a power of two that divides 2^HashBits.</summary>
    public int BlockRows { get; }

    public sbyte[] Linear { get; }

    /// <summary>One scale per block of <see cref="BlockRows"/> ids: 2^HashBits / BlockRows.</summary>
    public float[] LinearScales { get; }

    /// <summary>2^HashBits × k, row-major.</summary>
    public sbyte[] Factors { get; }

    /// <summary>One scale per block of <see cref="BlockRows"/> ids (all k factors of those ids).</summary>
    public float[] FactorScales { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Quantizes symmetric per block: scale = max|w| / 127 over the block, q = round(w / scale).</summary>
    public static QuantizedCtrModelWeights Quantize(CtrModelWeights weights, int blockRows = DefaultBlockRows)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (blockRows < 1 || !int.IsPow2(blockRows))
        {
            throw new ArgumentOutOfRangeException(nameof(blockRows), blockRows, "Block rows must be a power of two.");
        }

        return new QuantizedCtrModelWeights(weights, Math.Min(blockRows, weights.Rows));
    }

    /// <summary>The weights as the int8 graph sees them (q × scale in float), for checks and evaluation.</summary>
    public CtrModelWeights Dequantize()
    {
        var k = FactorDim;
        var linear = new float[Rows];
        var factors = new float[Factors.LongLength];
        for (var i = 0; i < Rows; i++)
        {
            var b = i / BlockRows;
            linear[i] = Linear[i] * LinearScales[b];
            for (var j = 0; j < k; j++)
            {
                factors[(i * k) + j] = Factors[(i * k) + j] * FactorScales[b];
            }
        }

        return new CtrModelWeights(HashBits, FactorDim, FeatureCount, Bias, linear, factors, Metadata);
    }

    /// <summary>Reference prediction of the int8 graph: the FM math over dequantized rows, in double.</summary>
    public double PredictReference(ReadOnlySpan<long> ids)
    {
        var k = FactorDim;
        Span<double> sum = k <= 64 ? stackalloc double[k] : new double[k];
        sum.Clear();
        double logit = Bias;
        double squares = 0;
        foreach (var id in ids)
        {
            if ((ulong)id >= (ulong)Rows)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Feature ids must be in [0, 2^{HashBits}).");
            }

            var b = (int)id / BlockRows;
            logit += Linear[id] * LinearScales[b];
            for (var j = 0; j < k; j++)
            {
                double v = Factors[((int)id * k) + j] * FactorScales[b];
                sum[j] += v;
                squares += v * v;
            }
        }

        double pairs = 0;
        foreach (var s in sum)
        {
            pairs += s * s;
        }

        return CtrModelWeights.Sigmoid(logit + (0.5 * (pairs - squares)));
    }

    private static float QuantizeBlock(ReadOnlySpan<float> source, Span<sbyte> target)
    {
        var max = 0f;
        foreach (var w in source)
        {
            if (!float.IsFinite(w))
            {
                throw new ArgumentException("Weights must be finite to quantize.", nameof(source));
            }

            max = MathF.Max(max, MathF.Abs(w));
        }

        if (max == 0f)
        {
            target.Clear();
            return 0f;
        }

        var scale = max / 127f;
        for (var i = 0; i < source.Length; i++)
        {
            target[i] = (sbyte)Math.Clamp(MathF.Round(source[i] / scale), -127f, 127f);
        }

        return scale;
    }
}
