using System.CommandLine;
using System.Diagnostics;
using BidEngine.Model.Authoring;
using BidEngine.Training.Data;
using BidEngine.Training.Learning;

namespace BidEngine.Training.Commands;

/// <summary>simulate → train → export → quantize → evaluate (fp32, int8) → card: regenerates everything in models/.</summary>
internal static class AllCommand
{
    /// <summary>Default simulated bids: about 83k clicks, of which the 30 % hold-out gets over 20k and training (60 %) about 50k.</summary>
    public const int DefaultEvents = 12_000_000;

    public static Command Create(TextWriter o, string commandLine)
    {
        var events = CliOptions.Int("--events", DefaultEvents, 1000, 100_000_000, "simulated bids");
        var seed = CliOptions.Int("--seed", 42, 0, int.MaxValue, "seed of the simulated world and traffic");
        var bits = CliOptions.Int("--bits", 18, Core.Features.FeatureSpec.MinHashBits, Core.Features.FeatureSpec.MaxHashBits, "bits of the hashed id space");
        var trainer = new TrainerOptions("--train-seed");
        var holdout = CliOptions.Double("--holdout", TrainCommand.DefaultHoldout, 0.01, 0.9, "share held out at the end, in time order");
        var calibration = CliOptions.Double("--calibration", TrainCommand.DefaultCalibration, 0, 0.5, "share before the hold-out that fits Platt scaling instead of training");
        var data = CliOptions.Text("--data", "data/sim.msgpack", "the event log; the weights go beside it");
        var models = CliOptions.Text("--models", "models", "the folder the models, their card and the prior table are written to");
        var campaigns = CliOptions.Text("--campaigns", "config/campaigns.json", "the campaigns that bid in the simulation");
        var keepData = CliOptions.Bool("--keep-data", false, "keep the event log (it is big, and the same seed makes it again)");
        var command = new Command("all", "simulate, train, export, quantize, evaluate (fp32 and int8) and card: regenerates everything in models/.")
            .With([events, seed, bits, .. trainer.All, holdout, calibration, data, models, campaigns, keepData]);
        command.SetAction((r, _) => RunAsync(r.GetValue(events), r.GetValue(seed), r.GetValue(bits), trainer.Read(r), r.GetValue(holdout), r.GetValue(calibration),
            r.GetRequiredValue(data), r.GetRequiredValue(models), r.GetRequiredValue(campaigns), r.GetValue(keepData), o, commandLine));
        return command;
    }

    private static async Task<int> RunAsync(int events, int seed, int bits, FmTrainerOptions options, double holdout, double calibration, string dataPath, string models,
        string campaigns, bool keepData, TextWriter o, string commandLine)
    {
        var weightsPath = Path.Combine(Path.GetDirectoryName(dataPath) ?? "data", "weights.bin");
        var fp32Path = Path.Combine(models, OnnxModelWriter.Fp32FileName);
        var int8Path = Path.Combine(models, OnnxModelWriter.Int8FileName);
        var priorsPath = Path.Combine(models, "ctr.priors.json");

        o.WriteLine($"== simulate {events:N0} bids, seed {seed}");
        var watch = Stopwatch.StartNew();
        SimulateCommand.Simulate(events, seed, dataPath, 14, campaigns, 10, o);
        var simulateSeconds = watch.Elapsed.TotalSeconds;
        o.WriteLine("== train");
        watch.Restart();
        var data = await DatasetLoader.LoadAsync(dataPath, bits, o).ConfigureAwait(false);
        var train = TrainCommand.Train(data, watch.Elapsed.TotalSeconds, dataPath, weightsPath, options, holdout, calibration, priorsPath, o, commandLine) with
        {
            SimulateSeconds = Math.Round(simulateSeconds, 1),
        };
        Report.WriteJson(TrainCommand.SummaryPath(weightsPath), train);
        var weights = WeightsFile.Load(weightsPath);
        o.WriteLine("== export, quantize");
        ExportCommand.Export(weights, fp32Path, o);
        ExportCommand.Quantize(weights, int8Path, o);
        o.WriteLine("== evaluate");
        var fp32 = EvaluateCommand.Evaluate(fp32Path, data, Path.GetFileName(dataPath), holdout, o);
        var int8 = EvaluateCommand.Evaluate(int8Path, data, Path.GetFileName(dataPath), holdout, o);
        Report.WriteJson(EvaluateCommand.DefaultJsonPath(fp32Path), fp32);
        Report.WriteJson(EvaluateCommand.DefaultJsonPath(int8Path), int8);
        CardCommand.Write(train, fp32, int8, Path.GetFileName(priorsPath), Path.Combine(models, "ctr.json"), o);
        if (!keepData)
        {
            // The event log is big (about 270 bytes a bid) and the same seed makes it again.
            File.Delete(dataPath);
            File.Delete(TruthFile.PathFor(dataPath));
            o.WriteLine($"  deleted {dataPath} and its truth sidecar (--keep-data true keeps them)");
        }

        o.WriteLine($"== done: fp32 AUC {fp32.Metrics.Auc:F4}, int8 AUC {int8.Metrics.Auc:F4}, ceiling {fp32.Ceiling?.Auc:F4}; fp32 {fp32.FileBytes / 1e6:F2} MB, int8 {int8.FileBytes / 1e6:F2} MB ({(double)int8.FileBytes / fp32.FileBytes:P0})");
        return 0;
    }
}
