using System.CommandLine;
using System.Diagnostics;
using BidEngine.Training.Campaigns;

namespace BidEngine.Training.Commands;

/// <summary><c>campaigns</c>: writes a generated campaign file, and with --measure-load times loading it.</summary>
internal static class CampaignsCommand
{
    public static Command Create(TextWriter o)
    {
        var count = CliOptions.Int("--count", 1000, 0, 10_000_000, "campaigns to generate");
        var seed = CliOptions.Int("--seed", 7, 0, int.MaxValue, "seed: the same count and seed give the same file");
        var output = CliOptions.Text("--out", "data/campaigns.json", "the campaign file to write (valid against config/campaigns.schema.json)");
        var measure = CliOptions.Bool("--measure-load", false, "then load it as the bidder does (loader, rules, index) and a reload, and print time and memory");
        var command = new Command("campaigns", "Generates a campaign file of any size for tests, benchmarks and load runs: a few wide campaigns and many narrow ones, so a typical request matches a handful.")
            .With(count, seed, output, measure);
        command.SetAction(r => Run(r.GetValue(count), r.GetValue(seed), r.GetRequiredValue(output), r.GetValue(measure), o));
        return command;
    }

    private static int Run(int count, int seed, string output, bool measure, TextWriter o)
    {
        var watch = Stopwatch.StartNew();
        var folder = Path.GetDirectoryName(Path.GetFullPath(output));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        using (var file = File.Create(output))
        {
            CampaignFileGenerator.Write(file, count, seed);
        }

        o.WriteLine($"campaigns: {count:N0} campaigns (seed {seed}) -> {output} ({new FileInfo(output).Length / 1e6:F1} MB) in {watch.Elapsed.TotalSeconds:F1} s");
        if (measure)
        {
            var r = CampaignLoadMeasurement.Measure(output);
            o.WriteLine($"  load: {r.Campaigns:N0} campaigns, {r.Entries:N0} creatives; loader {r.Load.TotalMilliseconds:F0} ms, rules {r.Rules.TotalMilliseconds:F0} ms, index {r.Index.TotalMilliseconds:F0} ms (total {(r.Load + r.Rules + r.Index).TotalMilliseconds:F0} ms)");
            o.WriteLine($"  reload (old set alive): {r.Reload.TotalMilliseconds:F0} ms; the bidder's reload of the unchanged file (its campaigns taken over): {r.ReloadUnchanged.TotalMilliseconds:F0} ms");
            o.WriteLine($"  memory: managed {r.ManagedBytes / 1e6:F1} MB held by one loaded set (campaigns {r.LoaderManagedBytes / 1e6:F1} MB, rules {r.RulesManagedBytes / 1e6:F1} MB, index {(r.ManagedBytes - r.LoaderManagedBytes - r.RulesManagedBytes) / 1e6:F1} MB); RSS {r.RssBeforeBytes / 1e6:F0} -> {r.RssAfterBytes / 1e6:F0} MB after load, peak {r.PeakRssBytes / 1e6:F0} MB (through the reload)");
            var per = Math.Max(1, r.Campaigns);
            var h = r.Bidder;
            o.WriteLine($"  as the bidder holds it (walked): snapshot {h.SetBytes / 1e6:F1} MB = {h.SetBytes / per} B a campaign beyond {h.MarkupBytes / per} B of markup; ledger accounts {h.LedgerBytes / 1e6:F1} MB = {h.LedgerBytes / per} B a campaign; bytes a campaign by type:");
            o.WriteLine("    " + h.TopTypes.Replace("\n", "\n    ", StringComparison.Ordinal));
        }

        return 0;
    }
}
