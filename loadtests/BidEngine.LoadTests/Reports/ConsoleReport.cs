using System.Globalization;
using BidEngine.LoadTests.Running;
using BidEngine.LoadTests.Scenarios;

namespace BidEngine.LoadTests.Reports;

/// <summary>The console table: one row per run, then tmax buckets, path header counts and the checks.</summary>
public static class ConsoleReport
{
    public static void Write(TextWriter w, ScenarioOutcome outcome)
    {
        w.WriteLine();
        w.WriteLine($"scenario {outcome.Scenario}  target {outcome.Target}");
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"run",-22} {"model",-6} {"rate",7} {"conn",4} {"sent",8} {"rps",8} {"200",7} {"204",7} {"other",5} {"err",5} {"late",6} {"p50",7} {"p90",7} {"p99",7} {"p99.9",7} {"max",8} {"lag99",6} {"gen%",5} {"µs/rq",6} {"srv%",5}"));
        foreach (var r in outcome.Runs.Select(x => x.Summary))
        {
            w.WriteLine(Row(r));
        }

        foreach (var r in outcome.Runs.Select(x => x.Summary).Where(r => r.Tmax.Count > 1 && (outcome.Scenario == "mixed-tmax" || r.Late > 0)))
        {
            w.WriteLine();
            w.WriteLine($"late answers by tmax ({r.Label}):");
            w.WriteLine($"  {"tmax",-7} {"count",8} {"late",6} {"p99 ms",8} {"max ms",8}");
            foreach (var t in r.Tmax)
            {
                w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {t.Tmax,-7} {t.Count,8} {t.Late,6} {t.P99Ms,8:0.00} {t.MaxMs,8:0.00}"));
            }
        }

        foreach (var r in outcome.Runs.Select(x => x.Summary).Where(r => r.PathCounts.Count > 0))
        {
            w.WriteLine($"x-bidengine-path ({r.Label}): {string.Join(", ", r.PathCounts.Select(kv => $"{kv.Key}={kv.Value}"))}");
            var goodput = r.GoodputRatio is double g ? string.Create(CultureInfo.InvariantCulture, $" = {g:P1} of capacity {r.CapacityRps:0}") : "";
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  in time: {string.Join(", ", r.InTimePathCounts.Select(kv => $"{kv.Key}={kv.Value}"))}; answered {r.AnsweredRatio:P2}, late {r.LateRatio:P2}, goodput {r.GoodputRps:0} rps{goodput}"));
        }

        foreach (var f in outcome.FloorRatios)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"target/floor {f.Run}: p50 x{f.P50:0.##}  p99 x{f.P99:0.##}  p99.9 x{f.P999:0.##}  throughput x{f.Throughput:0.##}  generator CPU/request x{f.GeneratorCpuPerRequest:0.##}"));
        }

        if (outcome.CapacityRps is double cap)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"capacity: {cap:0} rps (highest step within the capacity thresholds)"));
        }

        w.WriteLine();
        foreach (var c in outcome.Checks)
        {
            w.WriteLine(c);
        }

        var failed = outcome.Checks.Count(c => !c.Passed);
        w.WriteLine(failed == 0
            ? $"PASS: {outcome.Checks.Count} checks"
            : $"FAIL: {failed} of {outcome.Checks.Count} checks missed: {string.Join("; ", outcome.Checks.Where(c => !c.Passed).Select(c => $"{c.Run} {c.Name}"))}");
    }

    public static string Row(RunSummary r)
    {
        var srv = r.ServerCpuPercentOfCore is double s ? s.ToString("0", CultureInfo.InvariantCulture) : "-";
        var other = r.UnexpectedStatus;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Trim(r.Label, 22),-22} {r.Model,-6} {r.TargetRateRps,7:0} {r.Connections,4} {r.Sent,8} {r.ThroughputRps,8:0} {r.Bids,7} {r.NoBids,7} {other,5} {r.Errors,5} {r.Late,6} {r.P50Ms,7:0.00} {r.P90Ms,7:0.00} {r.P99Ms,7:0.00} {r.P999Ms,7:0.00} {r.MaxMs,8:0.00} {r.SendLagP99Ms,6:0.00} {r.GeneratorCpuPercentOfCore,5:0} {r.GeneratorCpuMicrosPerRequest,6:0} {srv,5}");
    }

    private static string Trim(string s, int n) => s.Length <= n ? s : s[..n];
}
