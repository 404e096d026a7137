using System.CommandLine;
using System.Diagnostics;
using BidEngine.Core.Features;
using BidEngine.Training.ClosedLoop;
using BidEngine.Training.Learning;

namespace BidEngine.Training.Commands;

/// <summary>
/// <c>closed-loop config</c> writes the config folder the bidder runs the loop with (the simulated
/// world's campaigns); <c>closed-loop run</c> sends the simulator's traffic to that bidder, plays
/// the exchange and the users from the ground truth, then trains on the bidder's own log and on
/// the simulator's log of the same impressions and prints the two held-out AUCs beside their ceilings.
/// <c>loadtests/closed-loop.sh</c> does all of it, starting and stopping the bidder.
/// </summary>
internal static class ClosedLoopCommand
{
    public static Command Create(TextWriter o, string commandLine)
    {
        var command = new Command("closed-loop", "The bidder learning from its own log: simulated traffic to a real bidder over HTTP, notices and clicks from the ground truth, then training on the bidder's log against the simulator's.");
        command.Subcommands.Add(CreateConfig(o));
        command.Subcommands.Add(CreateRun(o, commandLine));
        return command;
    }

    private static (Option<int> Seed, Option<string> Campaigns, Option<int> Synthetic) WorldOptions() => (
        CliOptions.Int("--seed", 42, 0, int.MaxValue, "seed of the simulated world and traffic (42: the world the shipped model was trained on)"),
        CliOptions.Text("--campaigns", "config/campaigns.json", "the configured campaigns of the simulated world"),
        CliOptions.Int("--synthetic-campaigns", 10, 0, 1000, "generated campaigns added to them"));

    private static Command CreateConfig(TextWriter o)
    {
        var (seed, campaigns, synthetic) = WorldOptions();
        var output = CliOptions.Text("--out", "data/closed-loop/config", "the config folder to write (bidengine.json, campaigns.json); start the bidder with --config <folder>");
        var command = new Command("config", "Writes a config folder whose campaigns are the simulated world's.").With(seed, campaigns, synthetic, output);
        command.SetAction(r =>
        {
            var world = LoopConfig.World(r.GetValue(seed), r.GetRequiredValue(campaigns), r.GetValue(synthetic));
            var folder = r.GetRequiredValue(output);
            LoopConfig.Write(folder, world.Campaigns);
            o.WriteLine($"closed-loop config: {world.Campaigns.Count} campaigns, {world.Pairs.Length} creatives -> {folder}");
            return 0;
        });
        return command;
    }

    private static Command CreateRun(TextWriter o, string commandLine)
    {
        var (seed, campaigns, synthetic) = WorldOptions();
        var bidder = CliOptions.Text("--bidder", "http://127.0.0.1:5000", "the bidder's base address (loopback only), started with the config folder, EventLog:Folder and Notices:BaseUrl set to this address");
        var log = CliOptions.Text("--log", "data/closed-loop/log", "the bidder's EventLog:Folder");
        var requests = CliOptions.Int("--requests", 1_000_000, 100, 5_000_000, "bid requests sent");
        var concurrency = CliOptions.Int("--concurrency", 16, 1, 256, "requests in flight at once");
        var tmax = CliOptions.Int("--tmax", 200, 10, 500, "tmax of every request, ms");
        var market = CliOptions.Double("--market-value-per-click", 1.0, 0.01, 100, "the competing bidders' value per click: their CPM centres on true CTR × this × 1000");
        var spread = CliOptions.Double("--market-spread", 0.5, 0, 3, "standard deviation of the log of the competing CPM");
        var output = CliOptions.Text("--out", "data/closed-loop", "where the simulator's log, the weights of both models and report.md go");
        var bits = CliOptions.Int("--bits", FeatureSpec.DefaultHashBits, FeatureSpec.MinHashBits, FeatureSpec.MaxHashBits, "bits of the hashed id space");
        var trainer = new TrainerOptions("--train-seed");
        var holdout = CliOptions.Double("--holdout", TrainCommand.DefaultHoldout, 0.01, 0.9, "share held out at the end, in time order");
        var calibration = CliOptions.Double("--calibration", TrainCommand.DefaultCalibration, 0, 0.5, "share before the hold-out that fits Platt scaling instead of training");
        var wait = CliOptions.Int("--log-wait-seconds", 30, 1, 600, "how long to wait for the bidder's log to hold every notice fired");
        var command = new Command("run", "Sends the simulator's traffic to the bidder, fires notices and clicks from the ground truth, trains on both logs and prints the table.")
            .With([seed, campaigns, synthetic, bidder, log, requests, concurrency, tmax, market, spread, output, bits, .. trainer.All, holdout, calibration, wait]);
        command.SetAction(async (r, _) =>
        {
            if (!Uri.TryCreate(r.GetRequiredValue(bidder), UriKind.Absolute, out var address) || !address.IsLoopback || address.Scheme != Uri.UriSchemeHttp)
            {
                throw new UsageException($"--bidder must be an http address on the loopback interface, e.g. http://127.0.0.1:5000 (got '{r.GetValue(bidder)}')");
            }

            var settings = new LoopSettings(address, r.GetValue(requests), r.GetValue(concurrency), r.GetValue(seed), r.GetRequiredValue(output),
                r.GetRequiredValue(campaigns), r.GetValue(synthetic), r.GetValue(tmax), r.GetValue(market), r.GetValue(spread));
            await RunAsync(settings, r.GetRequiredValue(log), r.GetValue(bits), trainer.Read(r), r.GetValue(holdout), r.GetValue(calibration),
                TimeSpan.FromSeconds(r.GetValue(wait)), o, commandLine).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    public static async Task<(LoopTraffic Traffic, LoopResult Bidder, LoopResult Simulator)> RunAsync(LoopSettings settings, string bidderLog, int bits,
        FmTrainerOptions options, double holdout, double calibration, TimeSpan logWait, TextWriter o, string commandLine)
    {
        var watch = Stopwatch.StartNew();
        o.WriteLine($"closed-loop: {settings.Requests:N0} requests to {settings.Bidder} ({settings.Concurrency} at once), seed {settings.Seed}");
        var traffic = await new LoopRunner(settings, o).RunAsync().ConfigureAwait(false);
        var sendSeconds = watch.Elapsed.TotalSeconds;
        o.WriteLine($"  sent {traffic.Requests:N0} requests in {sendSeconds:F0} s: {traffic.Bids:N0} bids, {traffic.NoBids:N0} no-bids, {traffic.Failed:N0} failed; "
            + $"{traffic.Won:N0} won, {traffic.Lost:N0} lost; notices: {traffic.WinNotices:N0} win, {traffic.Billed:N0} billed, {traffic.LossNotices:N0} loss, {traffic.Clicks:N0} clicks; "
            + $"{traffic.NoticesRefused:N0} refused, {traffic.NoticesNotOnBidder:N0} not on the bidder, {traffic.ClicksWithoutUrl:N0} clicks without a URL, {traffic.UnknownBids:N0} bids outside the world");
        if (traffic.Bids > 0 && traffic.Billed == 0)
        {
            o.WriteLine("  no bid was billed: start the bidder with BidEngine:Notices:BaseUrl set to its own address, so that bids carry their notice URLs");
        }

        var detailsPath = Path.Combine(settings.OutFolder, "train.txt");
        await using var details = new StreamWriter(detailsPath);
        var bidderData = await LoopTraining.LoadBidderLogAsync(bidderLog, traffic, bits, logWait, details).ConfigureAwait(false);
        var l = bidderData.Log;
        o.WriteLine($"  bidder's log {bidderLog}: {bidderData.Bids:N0} bids, {l.WinNotices:N0} wins, {l.Bills:N0} bills, {l.Losses:N0} losses, {l.ClickNotices:N0} clicks; "
            + $"joined: {bidderData.Count:N0} impressions, {bidderData.Clicks:N0} clicked; {l.Unkeyed:N0} outcomes without a request id, {l.Orphans:N0} without their bid");
        if (l.Unkeyed > 0)
        {
            o.WriteLine("  the bidder's notices do not carry request and imp ids (its notice URLs name only the campaign): its bills and clicks cannot be joined to its bids");
        }

        var simData = await Data.DatasetLoader.LoadAsync(settings.SimLogPath, bits, details).ConfigureAwait(false);
        var bidderResult = LoopTraining.Train("bidder", bidderData, settings.OutFolder, options, holdout, calibration, details, commandLine);
        var simResult = LoopTraining.Train("simulator", simData, settings.OutFolder, options, holdout, calibration, details, commandLine);

        using var table = new StringWriter();
        LoopTraining.PrintTable(table, [bidderResult, simResult]);
        o.WriteLine();
        o.Write(table.ToString());
        o.WriteLine();
        o.WriteLine($"  same trainer ({options.Describe()}, {options.Epochs} epochs, k {options.FactorDim}), hold-out the last {holdout:P0} in time order, calibration {calibration:P0}; details in {detailsPath}; {watch.Elapsed.TotalSeconds:F0} s in all");
        await File.WriteAllTextAsync(Path.Combine(settings.OutFolder, "report.md"), table.ToString()).ConfigureAwait(false);
        return (traffic, bidderResult, simResult);
    }
}
