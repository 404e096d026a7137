using BidEngine.Model.Onnx;
using BidEngine.Training.Data;
using BidEngine.Training.Learning;

namespace BidEngine.Training.Commands;

/// <summary>simulate → train → export → quantize → evaluate (fp32, int8) → card: regenerates everything in models/.</summary>
internal static class AllCommand
{
    public const string Usage = "all [--events 6000000] [--seed 42] [--bits 18] [--k 4] [--epochs 1] [--holdout 0.2] [--data data/sim.msgpack] [--models models]";

    public static async Task<int> RunAsync(CommandArgs args, TextWriter o, string commandLine)
    {
        var events = args.Int("events", 6_000_000, 1000, 100_000_000);
        var seed = args.Int("seed", 42, 0, int.MaxValue);
        var bits = args.Int("bits", 18, Core.Features.FeatureSpec.MinHashBits, Core.Features.FeatureSpec.MaxHashBits);
        var defaults = new FmTrainerOptions();
        var options = defaults with
        {
            FactorDim = args.Int("k", defaults.FactorDim, 1, 64),
            Epochs = args.Int("epochs", defaults.Epochs, 1, 100),
            Seed = args.Int("train-seed", defaults.Seed, 0, int.MaxValue),
        };
        var holdout = args.Double("holdout", 0.2, 0.01, 0.9);
        var dataPath = args.String("data", "data/sim.msgpack");
        var models = args.String("models", "models");
        var campaigns = args.String("campaigns", "config/campaigns.json");
        args.CheckAllUsed();

        var weightsPath = Path.Combine(Path.GetDirectoryName(dataPath) ?? "data", "weights.bin");
        var fp32Path = Path.Combine(models, OnnxModelWriter.Fp32FileName);
        var int8Path = Path.Combine(models, OnnxModelWriter.Int8FileName);
        var priorsPath = Path.Combine(models, "ctr.priors.json");

        o.WriteLine($"== simulate {events:N0} bids, seed {seed}");
        SimulateCommand.Simulate(events, seed, dataPath, 14, campaigns, 10, o);
        o.WriteLine("== train");
        var train = await TrainCommand.TrainAsync(dataPath, weightsPath, bits, options, holdout, priorsPath, o, commandLine).ConfigureAwait(false);
        var weights = WeightsFile.Load(weightsPath);
        o.WriteLine("== export, quantize");
        ExportCommand.Export(weights, fp32Path, o);
        ExportCommand.Quantize(weights, int8Path, Model.QuantizedCtrModelWeights.DefaultBlockRows, o);
        o.WriteLine("== evaluate");
        var data = await DatasetLoader.LoadAsync(dataPath, bits, o).ConfigureAwait(false);
        var fp32 = EvaluateCommand.Evaluate(fp32Path, data, Path.GetFileName(dataPath), holdout, o);
        var int8 = EvaluateCommand.Evaluate(int8Path, data, Path.GetFileName(dataPath), holdout, o);
        Report.WriteJson(EvaluateCommand.DefaultJsonPath(fp32Path), fp32);
        Report.WriteJson(EvaluateCommand.DefaultJsonPath(int8Path), int8);
        CardCommand.Write(train, fp32, int8, Path.GetFileName(priorsPath), Path.Combine(models, "ctr.json"), o);
        o.WriteLine($"== done: fp32 AUC {fp32.Metrics.Auc:F4}, int8 AUC {int8.Metrics.Auc:F4}, ceiling {fp32.Ceiling?.Auc:F4}; fp32 {fp32.FileBytes / 1e6:F2} MB, int8 {int8.FileBytes / 1e6:F2} MB ({(double)int8.FileBytes / fp32.FileBytes:P0})");
        return 0;
    }
}
