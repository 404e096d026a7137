using BidEngine.LoadTests.Running;

namespace BidEngine.LoadTests.Thresholds;

/// <summary>Checks a run's summary against a <see cref="ThresholdSet"/>; every limit set gives one check.</summary>
public static class ThresholdEvaluator
{
    public static List<ThresholdCheck> Evaluate(ThresholdSet limits, RunSummary run)
    {
        var checks = new List<ThresholdCheck>();
        Max(checks, run, "p50 ms", limits.MaxP50Ms, run.P50Ms);
        Max(checks, run, "p99 ms", limits.MaxP99Ms, run.P99Ms);
        Max(checks, run, "p99.9 ms", limits.MaxP999Ms, run.P999Ms);
        Max(checks, run, "max ms", limits.MaxMaxMs, run.MaxMs);
        Max(checks, run, "errors (transport + timeouts)", limits.MaxErrors, run.Errors);
        Max(checks, run, "unexpected status (not 200/204)", limits.MaxUnexpectedStatus, run.UnexpectedStatus);
        Max(checks, run, "5xx answers", limits.Max5xx, run.Status5xx);
        Max(checks, run, "late answers (after tmax)", limits.MaxLate, run.Late);
        Max(checks, run, "late ratio", limits.MaxLateRatio, run.LateRatio);
        Min(checks, run, "answered ratio", limits.MinAnsweredRatio, run.AnsweredRatio);
        if (run.GoodputRatio is double goodput)
        {
            Min(checks, run, "goodput / capacity", limits.MinGoodputRatio, goodput);
        }
        Min(checks, run, "requests sent", limits.MinRequests, run.Sent);
        Min(checks, run, "throughput rps", limits.MinThroughputRps, run.ThroughputRps);
        return checks;
    }

    /// <summary>The capacity figure itself: the highest passing step against <see cref="ThresholdSet.MinCapacityRps"/>.</summary>
    public static ThresholdCheck? EvaluateCapacity(ThresholdSet limits, double capacityRps) =>
        limits.MinCapacityRps is double min
            ? new ThresholdCheck("capacity", "capacity rps", ">=", min, capacityRps, capacityRps >= min)
            : null;

    /// <summary>True when the run passes every limit: what a capacity step needs to count.</summary>
    public static bool Passes(ThresholdSet limits, RunSummary run) => Evaluate(limits, run).TrueForAll(c => c.Passed);

    private static void Max(List<ThresholdCheck> checks, RunSummary run, string name, double? limit, double actual)
    {
        if (limit is double l)
        {
            checks.Add(new ThresholdCheck(run.Label, name, "<=", l, actual, actual <= l));
        }
    }

    private static void Min(List<ThresholdCheck> checks, RunSummary run, string name, double? limit, double actual)
    {
        if (limit is double l)
        {
            checks.Add(new ThresholdCheck(run.Label, name, ">=", l, actual, actual >= l));
        }
    }
}
