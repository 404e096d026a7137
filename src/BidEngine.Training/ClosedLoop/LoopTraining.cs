using System.Diagnostics;
using System.Globalization;
using BidEngine.Core.Events;
using BidEngine.Training.Commands;
using BidEngine.Training.Data;
using BidEngine.Training.Learning;

namespace BidEngine.Training.ClosedLoop;

/// <summary>
/// The second half of the loop: reads the bidder's log once it holds every notice the loop fired,
/// joins it (<see cref="DatasetLoader"/>, the code <c>train --data</c> runs), and trains on it and on
/// the simulator's log of the same impressions with the same trainer settings and the same time-ordered
/// hold-out; the truth the loop kept gives each hold-out its ceiling.
/// </summary>
internal static class LoopTraining
{
    /// <summary>Waits (up to <paramref name="timeout"/>) until the bidder's log holds a bill for every impression the loop billed and a click for every click.</summary>
    public static async Task<Dataset> LoadBidderLogAsync(string folder, LoopTraffic traffic, int bits, TimeSpan timeout, TextWriter details)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var data = await DatasetLoader.LoadAsync(folder, bits, details, truthOf: Truth(traffic)).ConfigureAwait(false);
            if ((data.Log.Bills >= traffic.Billed && data.Log.ClickNotices >= traffic.Clicks) || watch.Elapsed >= timeout)
            {
                return data;
            }

            // The bidder hands its log to the OS every EventLog:FlushIntervalMs (1 s by default).
            await Task.Delay(500).ConfigureAwait(false);
        }
    }

    private static Func<BidEvent, float> Truth(LoopTraffic traffic) => bid => traffic.Truth.GetValueOrDefault(bid.RequestId);

    public static LoopResult Train(string name, Dataset data, string outFolder, FmTrainerOptions options, double holdout, double calibration, TextWriter details, string commandLine)
    {
        // Too few rows to hold out a slice with clicks in it: nothing to measure.
        if (data.Count < 100 || data.Clicks < 10)
        {
            details.WriteLine($"{name}: {data.Count:N0} impressions, {data.Clicks:N0} clicks: too few to train");
            return new LoopResult(name, data.Bids, data.Count, data.Clicks, null);
        }

        details.WriteLine($"== {name}");
        var weights = Path.Combine(outFolder, name + ".weights.bin");
        var priors = Path.Combine(outFolder, name + ".priors.json");
        try
        {
            var summary = TrainCommand.Train(data, 0, name, weights, options, holdout, calibration, priors, details, commandLine);
            return new LoopResult(name, data.Bids, data.Count, data.Clicks, summary);
        }
        catch (InvalidOperationException e)
        {
            // Platt scaling refuses a model that does not rank its slice: on a small log, the clicks were too few.
            details.WriteLine($"{name}: {e.Message}");
            return new LoopResult(name, data.Bids, data.Count, data.Clicks, null);
        }
    }

    public static void PrintTable(TextWriter o, IEnumerable<LoopResult> results)
    {
        var c = CultureInfo.InvariantCulture;
        o.WriteLine("| log | bids | impressions | clicks | held-out AUC | ceiling AUC (true CTR) | gap |");
        o.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var r in results)
        {
            string F(double? v) => v is { } x ? x.ToString("F4", c) : "n/a";
            var gap = r.Auc is { } a && r.CeilingAuc is { } b ? (b - a).ToString("F4", c) : "n/a";
            o.WriteLine(string.Create(c, $"| {r.Log} | {r.Bids:N0} | {r.Impressions:N0} | {r.Clicks:N0} | {F(r.Auc)} | {F(r.CeilingAuc)} | {gap} |"));
        }
    }
}
