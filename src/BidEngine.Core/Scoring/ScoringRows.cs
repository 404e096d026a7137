namespace BidEngine.Core.Scoring;

/// <summary>
/// Rows lent by a scorer: the pipeline hashes features straight into <see cref="Features"/> (the
/// scorer's own, possibly pinned, input memory) and reads <see cref="Probability"/> after scoring.
/// </summary>
public abstract class ScoringRows
{
    /// <summary>Rows in use; set by <see cref="ICtrScorer.Rent"/>.</summary>
    public int Count { get; protected set; }

    /// <summary>The feature ids of one row (<see cref="ICtrScorer.FeatureCount"/> of them).</summary>
    public abstract Span<long> Features(int row);

    /// <summary>The click probability of one row, valid after a successful score.</summary>
    public abstract float Probability(int row);
}
