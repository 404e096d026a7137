using BidEngine.Training.Learning;

namespace BidEngine.Training.Commands;

/// <summary>The numbers of a <see cref="Metrics.Report"/> worth keeping in files.</summary>
internal sealed record MetricSummary
{
    public long Rows { get; init; }

    public long Clicks { get; init; }

    public double Auc { get; init; }

    public double LogLoss { get; init; }

    public double MeanPredicted { get; init; }

    public double Observed { get; init; }

    /// <summary>Largest |predicted / observed − 1| over the deciles.</summary>
    public double MaxDecileErrorObserved { get; init; }

    /// <summary>Largest |predicted / mean true probability − 1| over the deciles (simulated data).</summary>
    public double MaxDecileErrorTruth { get; init; }

    public IReadOnlyList<Metrics.Decile> Deciles { get; init; } = [];

    public static MetricSummary From(Metrics.Report r) => new()
    {
        Rows = r.Rows,
        Clicks = r.Clicks,
        Auc = Math.Round(r.Auc, 5),
        LogLoss = Math.Round(r.LogLoss, 6),
        MeanPredicted = r.MeanPredicted,
        Observed = r.Observed,
        MaxDecileErrorObserved = Math.Round(r.Deciles.Max(d => Math.Abs(d.ObservedError)), 4),
        MaxDecileErrorTruth = r.Deciles.Any(d => double.IsFinite(d.TruthError)) ? Math.Round(r.Deciles.Max(d => Math.Abs(d.TruthError)), 4) : double.NaN,
        Deciles = r.Deciles,
    };
}
