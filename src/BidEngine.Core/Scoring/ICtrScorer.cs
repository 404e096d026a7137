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
    /// done before <paramref name="deadline"/> (not started, or cut off).
    /// </summary>
    ValueTask<bool> ScoreAsync(ScoringRows rows, RequestDeadline deadline, CancellationToken cancellationToken = default);

    void Return(ScoringRows rows);
}
