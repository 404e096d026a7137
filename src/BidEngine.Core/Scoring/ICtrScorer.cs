using BidEngine.Core.Deadlines;

namespace BidEngine.Core.Scoring;

/// <summary>
/// Predicts click probabilities for rows of hashed features. The pipeline depends on this
/// interface only; the ONNX implementation lives in BidEngine.Model.
/// </summary>
public interface ICtrScorer : IDisposable
{
    /// <summary>A short name for metrics and logs, for example <c>onnx:ctr.onnx</c>.</summary>
    string Name { get; }

    /// <summary>Feature ids per row, as the model's feature spec defines them.</summary>
    int FeatureCount { get; }

    /// <summary>Bits of the hashed feature space, 2^bits ids.</summary>
    int HashBits { get; }

    /// <summary>Most rows one <see cref="Rent"/> can give.</summary>
    int MaxRows { get; }

    /// <summary>
    /// What a call of <paramref name="rows"/> rows is expected to take now, in <see cref="System.Diagnostics.Stopwatch"/>
    /// ticks, from recently observed runs; 0 when unknown. The deadline uses it to choose model or heuristic.
    /// </summary>
    long EstimatedCostTicks(int rows) => 0;

    /// <summary>Lends room for <paramref name="rows"/> rows; give it back with <see cref="Return"/>.</summary>
    ScoringRows Rent(int rows);

    /// <summary>
    /// Scores the rows. Returns false, leaving the probabilities unset, when the work could not be
    /// done within <paramref name="limit"/> (not started because its estimate does not fit, or cut
    /// off at <see cref="ModelTimeLimit.EndTimestamp"/>). The limit comes from
    /// <see cref="DeadlinePolicy.ModelLimit"/>: the scorer enforces the policy's numbers, it does
    /// not make up its own.
    /// </summary>
    ValueTask<bool> ScoreAsync(ScoringRows rows, ModelTimeLimit limit, CancellationToken cancellationToken = default);

    void Return(ScoringRows rows);
}
