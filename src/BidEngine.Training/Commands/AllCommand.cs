using System.Diagnostics;
using BidEngine.Model.Authoring;
using BidEngine.Training.Data;
using BidEngine.Training.Learning;

namespace BidEngine.Training.Commands;

/// <summary>simulate → train → export → quantize → evaluate (fp32, int8) → card: regenerates everything in models/.</summary>
internal static class AllCommand
{
    public const string Usage = "all [--events 12000000] [--seed 42] [--bits 18] [--k 4] [--epochs 6] [--train-seed 1] [--holdout 0.3] [--calibration 0.1] [--data data/sim.msgpack] [--models models] [--keep-data true] " + OptionArgs.Usage;

    /// <summary>Default simulated bids: about 83k clicks, of which the 30 % hold-out gets over 20k and training (60 %) about 50k.</summary>
    public const int DefaultEvents = 12_000_000;

    public static async Task<int> RunAsync(CommandArgs args, TextWriter o, string commandLine)
    {
        var events = args.Int("events", DefaultEvents, 1000, 100_000_000);
        var seed = args.Int("seed", 42, 0, int.MaxValue);
        var bits = args.Int("bits", 18, Core.Features.FeatureSpec.MinHashBits, Core.Features.FeatureSpec.MaxHashBits);
        var defaults = new FmTrainerOptions();
        var options = (defaults with
        {
            FactorDim = args.Int("k", defaults.FactorDim, 1, 64),
            Epochs = args.Int("epochs", defaults.Epochs, 1, 100),
            Seed = args.Int("train-seed", defaults.Seed, 0, int.MaxValue),
            LinearRate = args.Double("lr", defaults.LinearRate, 1e-6, 10),
            FactorRate = args.Double("lr-factors", defaults.FactorRate, 1e-6, 10),
            LinearL2 = args.Double("l2-linear", defaults.LinearL2, 0, 1),
            FactorL2 = args.Double("l2", defaults.FactorL2, 0, 1),
        }).WithLinearAndDecay(args);
        var holdout = args.Double("holdout", TrainCommand.DefaultHoldout, 0.01, 0.9);
        var calibration = args.Double("calibration", TrainCommand.DefaultCalibration, 0, 0.5);
        var dataPath = args.String("data", "data/sim.msgpack");
        var models = args.String("models", "models");
        var campaigns = args.String("campaigns", "config/campaigns.json");
        var keepData = args.Bool("keep-data", false);
        args.CheckAllUsed();

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
        ExportCommand.Quantize(weights, int8Path, QuantizedCtrModelWeights.DefaultBlockRows, o);
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
