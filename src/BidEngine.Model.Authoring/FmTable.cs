namespace BidEngine.Model.Authoring;

/// <summary>
/// The CTR model's weights as the graph reads them: one table of <see cref="Width"/> = 1 + k floats per
/// id, the id's own term first and its k factors after it, so a run gathers each id once.
/// <code>
/// T[i] = [ Linear[i] − ½‖V[i]‖²,  V[i,0] … V[i,k−1] ]
/// S = Σ_f T[id_f]   (row-wise, over the F ids of a request)
/// logit = Bias + S[0] + ½ Σ_k S[k]²
/// </code>
/// This is the FM identity with the diagonal moved into the table: ½[(Σ_f v_f)² − Σ_f v_f²] needs the
/// squares of each id's own factors, which do not depend on the request, so they are subtracted once
/// here instead of on every run. Same numbers as <see cref="CtrModelWeights.LogitReference"/>, up to float rounding.
/// </summary>
public sealed class FmTable
{
    private FmTable(int hashBits, int factorDim, int featureCount, float bias, float[] values, IReadOnlyDictionary<string, string> metadata)
    {
        HashBits = hashBits;
        FactorDim = factorDim;
        FeatureCount = featureCount;
        Bias = bias;
        Values = values;
        Metadata = metadata;
    }

    public int HashBits { get; }

    public int FactorDim { get; }

    public int FeatureCount { get; }

    /// <summary>Floats per id: 1 + <see cref="FactorDim"/>.</summary>
    public int Width => 1 + FactorDim;

    public int Rows => 1 << HashBits;

    public float Bias { get; }

    /// <summary>Rows × <see cref="Width"/>, row-major.</summary>
    public float[] Values { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Folds the linear weights and the diagonal of the FM into one table (per-id sums in double, stored as float).</summary>
    public static FmTable From(CtrModelWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var k = weights.FactorDim;
        var width = 1 + k;
        var values = new float[(long)weights.Rows * width];
        for (var i = 0; i < weights.Rows; i++)
        {
            var v = weights.Factors.AsSpan(i * k, k);
            double squares = 0;
            foreach (var x in v)
            {
                squares += (double)x * x;
            }

            var row = values.AsSpan(i * width, width);
            row[0] = (float)(weights.Linear[i] - (0.5 * squares));
            v.CopyTo(row[1..]);
        }

        return new FmTable(weights.HashBits, k, weights.FeatureCount, weights.Bias, values, weights.Metadata);
    }

    /// <summary>
    /// The model in plain C#, float arithmetic as the graph does it: one pass over the ids, then
    /// the squares of the k sums. The floor of what a model call can cost (no runtime, no graph).
    /// </summary>
    public float Predict(ReadOnlySpan<long> ids)
    {
        var width = Width;
        Span<float> sum = width <= 65 ? stackalloc float[width] : new float[width];
        sum.Clear();
        var values = Values;
        var mask = (uint)(Rows - 1);
        foreach (var id in ids)
        {
            var row = values.AsSpan((int)((uint)id & mask) * width, width);
            for (var j = 0; j < row.Length; j++)
            {
                sum[j] += row[j];
            }
        }

        var logit = Bias + sum[0];
        var pairs = 0f;
        for (var j = 1; j < sum.Length; j++)
        {
            pairs += sum[j] * sum[j];
        }

        logit += 0.5f * pairs;
        return 1f / (1f + MathF.Exp(-logit));
    }
}
