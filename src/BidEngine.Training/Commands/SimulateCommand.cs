using System.CommandLine;
using System.Diagnostics;
using BidEngine.Core.Campaigns;
using BidEngine.Training.Simulation;

namespace BidEngine.Training.Commands;

internal static class SimulateCommand
{
    public static Command Create(TextWriter o)
    {
        var events = CliOptions.Int("--events", 1_000_000, 1, 100_000_000, "simulated bids");
        var seed = CliOptions.Int("--seed", 42, 0, int.MaxValue, "seed of the simulated world and traffic");
        var output = CliOptions.Text("--out", "data/sim.msgpack", "the event log (MessagePack); the true click probabilities go beside it");
        var days = CliOptions.Int("--days", 14, 1, 365, "days of traffic");
        var campaigns = CliOptions.Text("--campaigns", "config/campaigns.json", "the campaigns that bid");
        var synthetic = CliOptions.Int("--synthetic-campaigns", 10, 0, 1000, "generated campaigns added to them");
        var command = new Command("simulate", "Simulates bid traffic with a hidden ground-truth CTR and logs bids, wins and clicks as the bidder would.")
            .With(events, seed, output, days, campaigns, synthetic);
        command.SetAction(r => Run(r.GetValue(events), r.GetValue(seed), r.GetRequiredValue(output), r.GetValue(days), r.GetRequiredValue(campaigns), r.GetValue(synthetic), o));
        return command;
    }

    private static int Run(int events, int seed, string output, int days, string campaignsPath, int synthetic, TextWriter o)
    {
        var summary = Simulate(events, seed, output, days, campaignsPath, synthetic, o);
        o.WriteLine($"simulate: {summary.Bids:N0} bids, {summary.Wins:N0} impressions, {summary.Clicks:N0} clicks (CTR {(double)summary.Clicks / Math.Max(1, summary.Wins):P3}, true mean {summary.MeanTruthOfWins:P3}) -> {output} ({summary.Bytes / 1e6:F0} MB)");
        return 0;
    }

    public static TrafficSimulator.Summary Simulate(long events, int seed, string output, int days, string campaignsPath, int synthetic, TextWriter? o)
    {
        var watch = Stopwatch.StartNew();
        var campaigns = CampaignLoader.LoadFile(campaignsPath);
        var world = new SimWorld(seed, campaigns, syntheticCampaigns: synthetic);
        var summary = new TrafficSimulator(world).Run(events, seed, output, days, o);
        o?.WriteLine($"  simulate took {watch.Elapsed.TotalSeconds:F0} s (logit intercept {summary.Intercept:F3})");
        return summary;
    }
}
