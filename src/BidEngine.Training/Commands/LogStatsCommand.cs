using System.CommandLine;
using System.Globalization;

namespace BidEngine.Training.Commands;

/// <summary><c>log-stats --data &lt;folder&gt;</c>: what a bid log holds, for an operator without code.</summary>
internal static class LogStatsCommand
{
    public static Command Create(TextWriter o)
    {
        var data = CliOptions.Text("--data", "data/log", "a folder of the bidder's log files (BidEngine:EventLog:Folder), or one event file");
        var command = new Command("log-stats", "Counts the records of an event log by type, with its time range, torn tails and the drops the bidder recorded.")
            .With([data]);
        command.SetAction(async (r, cancellationToken) =>
        {
            var stats = await LogStats.ReadAsync(r.GetRequiredValue(data), w => o.WriteLine("warning: " + w), cancellationToken).ConfigureAwait(false);
            Print(o, r.GetRequiredValue(data), stats);
            return 0;
        });
        return command;
    }

    public static void Print(TextWriter o, string path, LogStats stats)
    {
        var c = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(c, $"{path}: {stats.Files} files, {stats.Bytes:N0} bytes"));
        foreach (var kind in (string[])["bid", "nobid", "win", "bill", "loss", "click"])
        {
            o.WriteLine(string.Create(c, $"  {kind,-6} {stats.Count(kind),12:N0}"));
        }

        if (stats.FirstUnixMs <= stats.LastUnixMs)
        {
            var first = DateTimeOffset.FromUnixTimeMilliseconds(stats.FirstUnixMs);
            var last = DateTimeOffset.FromUnixTimeMilliseconds(stats.LastUnixMs);
            o.WriteLine(string.Create(c, $"  from {first:yyyy-MM-dd HH:mm:ss.fff}Z to {last:yyyy-MM-dd HH:mm:ss.fff}Z ({(last - first).TotalSeconds:F1} s)"));
        }

        var bids = stats.Count("bid");
        if (bids > 0)
        {
            o.WriteLine(string.Create(c, $"  {stats.Bytes / (double)bids:F0} bytes per bid record (all records included)"));
        }

        o.WriteLine(stats.Dropped.Count == 0
            ? "  dropped: none recorded"
            : "  dropped: " + string.Join(", ", stats.Dropped.Select(d => string.Create(c, $"{d.Key} {d.Value:N0}"))));
        o.WriteLine(stats.TornTails == 0
            ? "  torn tails: none"
            : string.Create(c, $"  torn tails: {stats.TornTails} files, {stats.TornBytes:N0} bytes skipped"));
    }
}
