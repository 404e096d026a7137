using BidEngine.Model.Onnx;

namespace BidEngine.Model.Authoring;

/// <summary>
/// The weights of the CTR model: logistic regression plus a factorization machine over hashed ids.
/// <code>
/// logit = Bias + Σ_f Linear[id_f] + ½ Σ_k [(Σ_f V[id_f,k])² − Σ_f V[id_f,k]²],   p = σ(logit)
/// </code>
/// <see cref="Factors"/> is row-major: the k factors of id i are <c>Factors[i*k .. i*k+k)</c>.
/// This is the contract between the training tool and the exporter (<see cref="OnnxModelWriter"/>).
/// </summary>
public sealed class CtrModelWeights
{
    /// <summary>Largest hash space the exporter accepts (and the scorer loads).</summary>
    public const int MaxHashBits = CtrModelGraph.MaxHashBits;

    /// <summary>Largest factor dimension the exporter accepts.</summary>
    public const int MaxFactorDim = 256;

    /// <summary>Largest feature count per row the exporter accepts.</summary>
    public const int MaxFeatureCount = 1024;

    public CtrModelWeights(int hashBits, int factorDim, int featureCount)
        : this(hashBits, factorDim, featureCount, 0f, null, null, null)
    {
    }

    public CtrModelWeights(int hashBits, int factorDim, int featureCount, float bias, float[]? linear, float[]? factors, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hashBits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hashBits, MaxHashBits);
        ArgumentOutOfRangeException.ThrowIfLessThan(factorDim, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(factorDim, MaxFactorDim);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(featureCount, MaxFeatureCount);

        var rows = 1 << hashBits;
        linear ??= new float[rows];
        factors ??= new float[(long)rows * factorDim];
        if (linear.Length != rows)
        {
            throw new ArgumentException($"Linear has {linear.Length} weights; 2^{hashBits} = {rows} expected.", nameof(linear));
        }

        if (factors.LongLength != (long)rows * factorDim)
        {
            throw new ArgumentException($"Factors has {factors.LongLength} weights; 2^{hashBits} × {factorDim} = {(long)rows * factorDim} expected.", nameof(factors));
        }

        HashBits = hashBits;
        FactorDim = factorDim;
        FeatureCount = featureCount;
        Bias = bias;
        Linear = linear;
        Factors = factors;
        Metadata = metadata ?? new Dictionary<string, string>();
    }

    /// <summary>Bits of the hashed id space; ids are in [0, 2^HashBits).</summary>
    public int HashBits { get; }

    /// <summary>k, the factor dimension of the FM part.</summary>
    public int FactorDim { get; }

    /// <summary>F, the number of feature ids per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Rows of the tables: 2^HashBits.</summary>
    public int Rows => 1 << HashBits;

    public float Bias { get; set; }

    /// <summary>One weight per id: 2^HashBits.</summary>
    public float[] Linear { get; }

    /// <summary>k factors per id, row-major: 2^HashBits × k.</summary>
    public float[] Factors { get; }

    /// <summary>
    /// Free-form model card written to the ONNX file's metadata_props: feature-spec version,
    /// training summary, metrics. The exporter adds the shape keys of <see cref="ModelMetadataKeys"/> itself.
    /// </summary>
    public IReadOnlyDictionary<string, string> Metadata { get; set; }

    /// <summary>The factors of one id.</summary>
    public Span<float> FactorsOf(long id) => Factors.AsSpan(checked((int)(id * FactorDim)), FactorDim);

    /// <summary>Plain reference math in double precision, for tests and for the training tool's evaluation.</summary>
    public double PredictReference(ReadOnlySpan<long> ids) => Sigmoid(LogitReference(ids));

    /// <summary>The logit of <see cref="PredictReference"/>.</summary>
    public double LogitReference(ReadOnlySpan<long> ids)
    {
        var k = FactorDim;
        Span<double> sum = k <= 64 ? stackalloc double[k] : new double[k];
        sum.Clear();
        double logit = Bias;
        double squares = 0;
        foreach (var id in ids)
        {
            CheckId(id);
            logit += Linear[id];
            var v = Factors.AsSpan((int)id * k, k);
            for (var j = 0; j < k; j++)
            {
                sum[j] += v[j];
                squares += (double)v[j] * v[j];
            }
        }

        double pairs = 0;
        foreach (var s in sum)
        {
            pairs += s * s;
        }

        return logit + 0.5 * (pairs - squares);
    }

    internal static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    private void CheckId(long id)
    {
        if ((ulong)id >= (ulong)Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Feature ids must be in [0, 2^{HashBits}).");
        }
    }
}
