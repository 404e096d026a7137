using System.Diagnostics;
using System.Globalization;
using BidEngine.Core.Features;
using BidEngine.Core.Heuristics;
using BidEngine.Model.Onnx;
using BidEngine.Training.Data;
using BidEngine.Training.Learning;
using BidEngine.Training.Priors;

namespace BidEngine.Training.Commands;

internal static class TrainCommand
{
    public const string Usage = "train --data data/sim.msgpack --out data/weights.bin [--bits 18..22] [--k 4] [--epochs 1] [--seed 1] [--holdout 0.2] [--priors models/ctr.priors.json] [--lr 0.05] [--lr-factors 0.05] [--l2 0.01] [--l2-linear 0.001]";

    public static async Task<int> RunAsync(CommandArgs args, TextWriter o, string commandLine)
    {
        var data = args.String("data", "data/sim.msgpack");
        var output = args.String("out", "data/weights.bin");
        var bits = args.Int("bits", FeatureSpec.DefaultHashBits, FeatureSpec.MinHashBits, FeatureSpec.MaxHashBits);
        var defaults = new FmTrainerOptions();
        var options = defaults with
        {
            FactorDim = args.Int("k", defaults.FactorDim, 1, 64),
            Epochs = args.Int("epochs", defaults.Epochs, 1, 100),
            Seed = args.Int("seed", defaults.Seed, 0, int.MaxValue),
            LinearRate = args.Double("lr", defaults.LinearRate, 1e-6, 10),
            FactorRate = args.Double("lr-factors", defaults.FactorRate, 1e-6, 10),
            LinearL2 = args.Double("l2-linear", defaults.LinearL2, 0, 1),
            FactorL2 = args.Double("l2", defaults.FactorL2, 0, 1),
        };
        var holdout = args.Double("holdout", 0.2, 0.01, 0.9);
        var priors = args.String("priors", "models/ctr.priors.json");
        args.CheckAllUsed();
        await TrainAsync(data, output, bits, options, holdout, priors, o, commandLine).ConfigureAwait(false);
        return 0;
    }

    public static async Task<TrainSummary> TrainAsync(string dataPath, string output, int bits, FmTrainerOptions options, double holdout, string priorsPath, TextWriter o, string commandLine)
    {
        var watch = Stopwatch.StartNew();
        o.WriteLine($"train: reading {dataPath}");
        var data = await DatasetLoader.LoadAsync(dataPath, bits, o).ConfigureAwait(false);
        var loadSeconds = watch.Elapsed.TotalSeconds;
        var split = data.HoldoutStart(holdout);
        o.WriteLine($"  {data.Bids:N0} bids, {data.Wins:N0} impressions, {data.Clicks:N0} clicks; training on the first {split:N0}, holding out the last {data.Count - split:N0} (time order); {loadSeconds:F0} s");

        watch.Restart();
        var weights = new FmTrainer(options).Train(data, split, o);
        var trainSeconds = watch.Elapsed.TotalSeconds;
        o.WriteLine($"  trained FM (bits {bits}, k {options.FactorDim}, {options.Epochs} epochs, AdaGrad) in {trainSeconds:F0} s");

        // Held-out metrics through the C# reference math (export and evaluate re-check them through ONNX).
        var n = data.Count - split;
        var predicted = new double[n];
        for (var i = 0; i < n; i++)
        {
            predicted[i] = FmTrainer.Predict(weights, data.Row(split + i));
        }

        var labels = data.Labels.AsSpan(split);
        var truth = data.Truth is null ? default : data.Truth.AsSpan(split);
        var model = Metrics.Evaluate(predicted, labels, truth);
        Report.Print(o, "model (C# reference)", model, deciles: true);

        Metrics.Report? ceiling = null;
        if (data.Truth is not null)
        {
            var truthP = new double[n];
            for (var i = 0; i < n; i++)
            {
                truthP[i] = data.Truth[split + i];
            }

            ceiling = Metrics.Evaluate(truthP, labels, truth);
            Report.Print(o, "ground truth (ceiling)", ceiling, deciles: false);
        }

        var priorFile = PriorBuilder.Build(data, split, $"{Path.GetFileName(dataPath)}: first {split:N0} impressions ({1 - holdout:P0}) of {data.Count:N0}");
        var priorTable = new PriorCtrTable(priorFile);
        var priorReport = Metrics.Evaluate(PriorBuilder.Predict(priorTable, data, split, data.Count), labels, truth);
        Report.Print(o, "prior table (fallback)", priorReport, deciles: false);
        var trainCtr = Math.Clamp(data.Labels.AsSpan(0, split).ToArray().Sum(b => (int)b) / (double)Math.Max(1, split), 1e-6, 1 - 1e-6);
        var constant = Metrics.Evaluate(Enumerable.Repeat(trainCtr, n).ToArray(), labels);
        o.WriteLine($"  constant predictor     log-loss {constant.LogLoss:F5}");

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(priorsPath))!);
        PriorCtrTable.SaveFile(priorFile, priorsPath);
        o.WriteLine($"  wrote {priorsPath} ({priorFile.Campaigns.Count} campaigns, {priorTable.BucketCount} buckets)");

        var summary = new TrainSummary
        {
            FeatureSpecVersion = FeatureSpec.Version,
            Command = commandLine,
            Data = Path.GetFileName(dataPath),
            Bids = data.Bids,
            Impressions = data.Wins,
            Clicks = data.Clicks,
            FirstEventUtc = DateTimeOffset.FromUnixTimeMilliseconds(data.TimestampsMs[0]).ToString("u", CultureInfo.InvariantCulture),
            LastEventUtc = DateTimeOffset.FromUnixTimeMilliseconds(data.TimestampsMs[^1]).ToString("u", CultureInfo.InvariantCulture),
            HashBits = bits,
            FactorDim = options.FactorDim,
            Epochs = options.Epochs,
            Seed = options.Seed,
            Optimizer = $"AdaGrad (lr {options.LinearRate} linear / {options.FactorRate} factors, L2 {options.LinearL2} linear / {options.FactorL2} factors, init sigma {options.InitSigma})",
            HoldoutFraction = holdout,
            TrainRows = split,
            HoldoutRows = n,
            LoadSeconds = Math.Round(loadSeconds, 1),
            TrainSeconds = Math.Round(trainSeconds, 1),
            Holdout = MetricSummary.From(model),
            Ceiling = ceiling is null ? null : MetricSummary.From(ceiling),
            Priors = MetricSummary.From(priorReport),
            ConstantLogLoss = Math.Round(constant.LogLoss, 6),
        };

        weights.Metadata = Metadata(summary);
        WeightsFile.Save(weights, output);
        Report.WriteJson(SummaryPath(output), summary);
        o.WriteLine($"  wrote {output} and {SummaryPath(output)}");
        return summary;
    }

    public static string SummaryPath(string weightsPath) => Path.ChangeExtension(weightsPath, ".json");

    /// <summary>The model card keys copied into the ONNX metadata_props.</summary>
    public static Dictionary<string, string> Metadata(TrainSummary s)
    {
        string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var m = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ModelMetadataKeys.FeatureSpecVersion] = s.FeatureSpecVersion,
            ["feature_fields"] = string.Join(",", FeatureSpec.Fields),
            ["training.command"] = s.Command,
            ["training.data"] = $"{s.Data}: {s.Bids} bids, {s.Impressions} impressions, {s.Clicks} clicks, {s.FirstEventUtc} .. {s.LastEventUtc}",
            ["training.optimizer"] = s.Optimizer,
            ["training.epochs"] = s.Epochs.ToString(CultureInfo.InvariantCulture),
            ["training.seed"] = s.Seed.ToString(CultureInfo.InvariantCulture),
            ["training.rows"] = s.TrainRows.ToString(CultureInfo.InvariantCulture),
            ["holdout.rows"] = s.HoldoutRows.ToString(CultureInfo.InvariantCulture),
            ["holdout.auc"] = F(s.Holdout.Auc),
            ["holdout.logloss"] = F(s.Holdout.LogLoss),
            ["holdout.max_decile_error_vs_truth"] = F(s.Holdout.MaxDecileErrorTruth),
        };
        if (s.Ceiling is not null)
        {
            m["holdout.ceiling_auc"] = F(s.Ceiling.Auc);
            m["holdout.ceiling_logloss"] = F(s.Ceiling.LogLoss);
        }

        return m;
    }
}
