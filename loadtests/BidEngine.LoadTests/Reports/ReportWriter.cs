using System.Text.Json;
using BidEngine.LoadTests.Scenarios;
using HdrHistogram;

namespace BidEngine.LoadTests.Reports;

/// <summary>Writes summary.json, one .hgrm per run and latency.png into the report folder.</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static void Write(string folder, ScenarioOutcome outcome, bool plot = true)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "summary.json"), JsonSerializer.Serialize(new
        {
            outcome.Scenario,
            outcome.Target,
            outcome.CapacityRps,
            Passed = outcome.Passed,
            Runs = outcome.Runs.Select(r => r.Summary),
            outcome.Checks,
            outcome.FloorRatios,
        }, Json));

        for (var i = 0; i < outcome.Runs.Count; i++)
        {
            var run = outcome.Runs[i];
            using var writer = new StreamWriter(Path.Combine(folder, HgrmName(i, run.Summary.Label)));
            // Values are µs; a scaling ratio of 1000 writes them in ms, as HdrHistogram's plotter expects.
            run.Latency.OutputPercentileDistribution(writer, percentileTicksPerHalfDistance: 5, outputValueUnitScalingRatio: 1000);
        }

        if (plot)
        {
            LatencyPlot.Save(Path.Combine(folder, "latency.png"), $"{outcome.Scenario} -> {outcome.Target}", outcome.Runs);
        }
    }

    public static string HgrmName(int index, string label)
    {
        var safe = new string(label.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_').ToArray());
        return $"{index + 1:00}-{safe}.hgrm";
    }
}
