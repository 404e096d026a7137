namespace BidEngine.Model.Authoring;

/// <summary>
/// <see cref="FmTable"/> as int8 with one float scale per column (symmetric: value ≈ q × scale,
/// q in [−127, 127]). One scale per column, not per block of ids, is what lets the graph dequantize
/// once per request instead of once per gathered id: the sums over ids are taken on the integers,
/// and the scales are folded into the last product (<c>S[0] × s₀ + ½ Σ_k (Σq_k)² × s_k²</c>). The
/// cost: ids whose weights are small next to the column's largest lose their low bits (the audit
/// measures what that does to AUC).
/// </summary>
public sealed class QuantizedFmTable
{
    private QuantizedFmTable(FmTable source)
    {
        HashBits = source.HashBits;
        FactorDim = source.FactorDim;
        FeatureCount = source.FeatureCount;
        Bias = source.Bias;
        Metadata = source.Metadata;
        var width = source.Width;
        Values = new sbyte[source.Values.LongLength];
        Scales = new float[width];
        for (var c = 0; c < width; c++)
        {
            var max = 0f;
            for (var i = c; i < source.Values.Length; i += width)
            {
                var w = source.Values[i];
                if (!float.IsFinite(w))
                {
                    throw new ArgumentException("Weights must be finite to quantize.", nameof(source));
                }

                max = MathF.Max(max, MathF.Abs(w));
            }

            var scale = max / 127f;
            Scales[c] = scale;
            if (scale == 0f)
            {
                continue;
            }

            for (var i = c; i < source.Values.Length; i += width)
            {
                Values[i] = (sbyte)Math.Clamp(MathF.Round(source.Values[i] / scale), -127f, 127f);
            }
        }
    }

    public int HashBits { get; }

    public int FactorDim { get; }

    public int FeatureCount { get; }

    public int Width => 1 + FactorDim;

    public int Rows => 1 << HashBits;

    public float Bias { get; }

    /// <summary>Rows × <see cref="Width"/>, row-major, as in <see cref="FmTable.Values"/>.</summary>
    public sbyte[] Values { get; }

    /// <summary>One scale per column: <see cref="Width"/>.</summary>
    public float[] Scales { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public static QuantizedFmTable Quantize(FmTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return new QuantizedFmTable(table);
    }

    public static QuantizedFmTable Quantize(CtrModelWeights weights) => Quantize(FmTable.From(weights));

    /// <summary>Reference prediction of the int8 graph in double: integer sums per column, then the scales.</summary>
    public double PredictReference(ReadOnlySpan<long> ids)
    {
        var width = Width;
        Span<long> sum = width <= 65 ? stackalloc long[width] : new long[width];
        sum.Clear();
        foreach (var id in ids)
        {
            if ((ulong)id >= (ulong)Rows)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Feature ids must be in [0, 2^{HashBits}).");
            }

            var row = Values.AsSpan((int)id * width, width);
            for (var j = 0; j < width; j++)
            {
                sum[j] += row[j];
            }
        }

        double logit = Bias + ((double)sum[0] * Scales[0]);
        for (var j = 1; j < width; j++)
        {
            var s = (double)sum[j] * Scales[j];
            logit += 0.5 * s * s;
        }

        return CtrModelWeights.Sigmoid(logit);
    }
}
