using System.Diagnostics;
using BidEngine.Core.Campaigns;
using BidEngine.Training.Simulation;

namespace BidEngine.Training.Commands;

internal static class SimulateCommand
{
    public const string Usage = "simulate --events N --seed S --out data/sim.msgpack [--days 14] [--campaigns config/campaigns.json] [--synthetic-campaigns 10]";

    public static int Run(CommandArgs args, TextWriter o)
    {
        var events = args.Int("events", 1_000_000, 1, 100_000_000);
        var seed = args.Int("seed", 42, 0, int.MaxValue);
        var output = args.String("out", "data/sim.msgpack");
        var days = args.Int("days", 14, 1, 365);
        var campaignsPath = args.String("campaigns", "config/campaigns.json");
        var synthetic = args.Int("synthetic-campaigns", 10, 0, 1000);
        args.CheckAllUsed();

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
