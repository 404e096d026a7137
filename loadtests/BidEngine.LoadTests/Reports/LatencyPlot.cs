using BidEngine.LoadTests.Running;
using HdrHistogram;
using ScottPlot;

namespace BidEngine.LoadTests.Reports;

/// <summary>
/// Latency by percentile, one line per run, on HdrHistogram's plotter axis: x = log10(1 / (1 − p)),
/// so 90%, 99%, 99.9% and 99.99% are evenly spaced and the tail gets as much room as the median.
/// </summary>
public static class LatencyPlot
{
    private const double MaxNines = 5; // 99.999%

    public static double X(double percentile) => -Math.Log10(Math.Max(1 - percentile / 100, Math.Pow(10, -MaxNines)));

    public static void Save(string path, string title, IReadOnlyList<RunResult> runs)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel("percentile");
        plot.YLabel("latency (ms, from intended send time)");
        var maxX = 1.0;
        foreach (var run in runs)
        {
            if (run.Latency.TotalCount == 0)
            {
                continue;
            }

            // Past log10(count) nines a percentile is just the max: stop the axis where the data has resolution.
            var nines = Math.Min(MaxNines, Math.Max(2, Math.Ceiling(Math.Log10(run.Latency.TotalCount))));
            var (xs, ys) = Points(run.Latency, nines);
            maxX = Math.Max(maxX, nines);
            var line = plot.Add.ScatterLine(xs, ys);
            line.LegendText = $"{run.Summary.Label}: p99 {run.Summary.P99Ms:0.##} ms";
            line.LineWidth = 2;
        }

        var ticks = new ScottPlot.TickGenerators.NumericManual();
        string[] labels = ["0%", "90%", "99%", "99.9%", "99.99%", "99.999%"];
        for (var n = 0; n <= MaxNines && n <= Math.Ceiling(maxX); n++)
        {
            ticks.AddMajor(n, labels[n]);
        }

        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.SetLimitsX(0, Math.Min(MaxNines, Math.Max(2, Math.Ceiling(maxX))));
        plot.Axes.SetLimitsY(0, AutoTop(runs));
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1100, 650);
    }

    private static double AutoTop(IReadOnlyList<RunResult> runs)
    {
        var top = runs.Where(r => r.Latency.TotalCount > 0).Select(r => r.Latency.GetMaxValue() / 1000.0).DefaultIfEmpty(1).Max();
        return top * 1.1;
    }

    internal static (double[] X, double[] Y) Points(HistogramBase h, double maxNines = MaxNines)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        foreach (var v in h.Percentiles(5))
        {
            var x = Math.Min(maxNines, X(v.PercentileLevelIteratedTo));
            if (xs.Count > 0 && x < xs[^1])
            {
                continue;
            }

            xs.Add(x);
            ys.Add(v.ValueIteratedTo / 1000.0);
            if (x >= maxNines)
            {
                break;
            }
        }

        return (xs.ToArray(), ys.ToArray());
    }
}
