using BidEngine.Core.Features;
using BidEngine.Model.Authoring;
using BidEngine.Training.Data;

namespace BidEngine.Training.Audit;

/// <summary>
/// Zeroes the hash rows the training rows hit least: a pruned row costs nothing in a compressed file
/// (or in a sparse store) and, if rarely hit, changes few predictions. The ONNX table stays dense, so
/// the file itself keeps its size; the audit reports the compressed size beside it.
/// </summary>
internal static class RowPruning
{
    /// <summary>How often each id occurs in rows [0, <paramref name="end"/>) of <paramref name="data"/>.</summary>
    public static int[] HitCounts(Dataset data, int end)
    {
        ArgumentNullException.ThrowIfNull(data);
        var hits = new int[1 << data.HashBits];
        foreach (var id in data.Ids.AsSpan(0, end * FeatureSpec.FeatureCount))
        {
            hits[id]++;
        }

        return hits;
    }

    /// <summary>
    /// A copy of <paramref name="weights"/> with the <paramref name="sparsity"/> share of rows that have the
    /// fewest hits set to zero (linear weight and factors; ties broken by id, so the result is repeatable).
    /// </summary>
    public static CtrModelWeights Prune(CtrModelWeights weights, ReadOnlySpan<int> hits, double sparsity)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfLessThan(sparsity, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sparsity, 1.0);
        if (hits.Length != weights.Rows)
        {
            throw new ArgumentException($"{hits.Length} hit counts for {weights.Rows} rows.", nameof(hits));
        }

        var pruned = new CtrModelWeights(weights.HashBits, weights.FactorDim, weights.FeatureCount, weights.Bias,
            (float[])weights.Linear.Clone(), (float[])weights.Factors.Clone(), weights.Metadata);
        // Hits in the high half, id in the low half: one sort orders by hits, ties by id.
        var order = new long[weights.Rows];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = ((long)hits[i] << 32) | (uint)i;
        }

        Array.Sort(order);
        var drop = (int)Math.Round(sparsity * weights.Rows);
        var k = weights.FactorDim;
        foreach (var key in order.AsSpan(0, drop))
        {
            var id = (int)(uint)key;
            pruned.Linear[id] = 0f;
            pruned.Factors.AsSpan(id * k, k).Clear();
        }

        return pruned;
    }
}
