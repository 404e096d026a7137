using System.Diagnostics;
using System.Globalization;
using BidEngine.Model;
using Prometheus;

namespace BidEngine.Server.Metrics;

/// <summary>
/// The ONNX scorer's own counters and cost estimates, read at each scrape: how many runs and rows
/// the model did, how many calls the deadline's limit refused or cut off, how much group commit
/// batched, and the per-bucket cost the deadline policy plans with. Counters start with traffic,
/// like <see cref="BidMetrics"/>: what the warm-up ran is subtracted.
/// </summary>
internal sealed class ScorerMetrics
{
    private readonly OnnxCtrScorer? _scorer;
    private ScorerCounters _baseline;
    private volatile bool _recording;

    public ScorerMetrics(CollectorRegistry registry, OnnxCtrScorer? scorer)
    {
        _scorer = scorer;
        if (scorer is null)
        {
            return; // UseModel=false: no model, nothing to export.
        }

        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var runs = factory.CreateCounter("bidengine_model_runs_total", "Model runs completed (a group-commit batch is one run).");
        var rows = factory.CreateCounter("bidengine_model_rows_total", "Rows scored by completed model runs, padding excluded.");
        var notStarted = factory.CreateCounter("bidengine_model_not_started_total", "Model calls refused before running: the observed cost × the safety factor did not fit the deadline policy's limit.");
        var cutOff = factory.CreateCounter("bidengine_model_cut_off_total", "Model runs cut off by the watchdog at the end of their limit (deadline less the write reserve).");
        var batchedRuns = factory.CreateCounter("bidengine_model_batched_runs_total", "Group-commit runs that carried more than one request.");
        var batchedRequests = factory.CreateCounter("bidengine_model_batched_requests_total", "Requests scored inside such runs.");
        var cost = factory.CreateGauge("bidengine_model_cost_seconds", "Observed cost of one run per batch bucket (moving mean): what the deadline policy compares with the time left.", "rows");
        var costs = scorer.BucketCosts();
        var costChildren = new Gauge.Child[costs.Count];
        for (var i = 0; i < costs.Count; i++)
        {
            costChildren[i] = cost.WithLabels(costs[i].Rows.ToString(CultureInfo.InvariantCulture));
        }

        registry.AddBeforeCollectCallback(() =>
        {
            if (!_recording)
            {
                return;
            }

            var now = scorer.Counters;
            var from = _baseline;
            runs.IncTo(now.Runs - from.Runs);
            rows.IncTo(now.RowsScored - from.RowsScored);
            notStarted.IncTo(now.NotStarted - from.NotStarted);
            cutOff.IncTo(now.CutOff - from.CutOff);
            batchedRuns.IncTo(now.BatchedRuns - from.BatchedRuns);
            batchedRequests.IncTo(now.BatchedRequests - from.BatchedRequests);
            var current = scorer.BucketCosts();
            for (var i = 0; i < current.Count; i++)
            {
                costChildren[i].Set(current[i].CostTicks / (double)Stopwatch.Frequency);
            }
        });
    }

    /// <summary>Counting starts when the server turns ready; the warm-up's runs are left out.</summary>
    public void StartRecording()
    {
        if (_scorer is not null)
        {
            _baseline = _scorer.Counters;
        }

        _recording = true;
    }
}
