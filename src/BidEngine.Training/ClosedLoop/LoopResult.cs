using BidEngine.Training.Commands;

namespace BidEngine.Training.ClosedLoop;

/// <summary>One log's side of the comparison: its rows and the held-out AUC of the model trained on it, beside the truth's.</summary>
internal sealed record LoopResult(string Log, long Bids, long Impressions, long Clicks, TrainSummary? Summary)
{
    public double? Auc => Summary?.Holdout.Auc;

    public double? CeilingAuc => Summary?.Ceiling?.Auc;
}
