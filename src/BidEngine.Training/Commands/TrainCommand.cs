using System.CommandLine;
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
    /// <summary>Default share of impressions held out (the last ones in time order): enough clicks (≥ 20k at the default 12M bids) for a per-decile calibration check.</summary>
    public const double DefaultHoldout = 0.3;

    /// <summary>Default share just before the hold-out that the model is not trained on and Platt scaling is fitted on.</summary>
    public const double DefaultCalibration = 0.1;

    public static Command Create(TextWriter o, string commandLine)
    {
        var data = CliOptions.Text("--data", "data/sim.msgpack", "the event log to train on: a file, or a folder of the bidder's log files (BidEngine:EventLog:Folder)");
        var output = CliOptions.Text("--out", "data/weights.bin", "the weights; a summary goes beside them as .json");
        var bits = CliOptions.Int("--bits", FeatureSpec.DefaultHashBits, FeatureSpec.MinHashBits, FeatureSpec.MaxHashBits, "bits of the hashed id space");
        var trainer = new TrainerOptions("--seed");
        var holdout = CliOptions.Double("--holdout", DefaultHoldout, 0.01, 0.9, "share held out at the end, in time order");
        var calibration = CliOptions.Double("--calibration", DefaultCalibration, 0, 0.5, "share before the hold-out that fits Platt scaling instead of training");
        var priors = CliOptions.Text("--priors", "models/ctr.priors.json", "where the prior CTR table is written");
        var command = new Command("train", "Trains the CTR model on the event log, calibrates it and writes the weights and the prior table.")
            .With([data, output, bits, .. trainer.All, holdout, calibration, priors]);
        command.SetAction(async (r, _) =>
        {
            await TrainAsync(r.GetRequiredValue(data), r.GetRequiredValue(output), r.GetValue(bits), trainer.Read(r), r.GetValue(holdout), r.GetValue(calibration),
                r.GetRequiredValue(priors), o, commandLine).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    public static async Task<TrainSummary> TrainAsync(string dataPath, string output, int bits, FmTrainerOptions options, double holdout, double calibration, string priorsPath, TextWriter o, string commandLine)
    {
        var watch = Stopwatch.StartNew();
        o.WriteLine($"train: reading {dataPath}");
        var data = await DatasetLoader.LoadAsync(dataPath, bits, o).ConfigureAwait(false);
        var log = data.Log;
        o.WriteLine(log.RowsAreBills
            ? $"  outcomes: {log.WinNotices:N0} wins, {log.Bills:N0} bills, {log.Losses:N0} losses, {log.ClickNotices:N0} clicks; a row is a billed bid, label clicked"
            : $"  outcomes: {log.WinNotices:N0} wins, {log.ClickNotices:N0} clicks, no bills; a row is a won bid, label clicked");
        return Train(data, watch.Elapsed.TotalSeconds, dataPath, output, options, holdout, calibration, priorsPath, o, commandLine);
    }

    /// <summary>
    /// Trains on the first rows, fits Platt scaling on the calibration slice that follows and folds
    /// it into the weights, then measures the calibrated model on the held-out tail. Time order:
    /// [train | calibration | hold-out].
    /// </summary>
    public static TrainSummary Train(Dataset data, double loadSeconds, string dataPath, string output, FmTrainerOptions options, double holdout, double calibration, string priorsPath, TextWriter o, string commandLine)
    {
        var split = data.HoldoutStart(holdout);
        var trainEnd = data.HoldoutStart(holdout + calibration);
        o.WriteLine($"  {data.Bids:N0} bids, {data.Wins:N0} impressions, {data.Clicks:N0} clicks; training on the first {trainEnd:N0}, calibrating on the next {split - trainEnd:N0}, holding out the last {data.Count - split:N0} (time order); {loadSeconds:F0} s");

        var watch = Stopwatch.StartNew();
        var weights = new FmTrainer(options).Train(data, trainEnd, o);
        var trainSeconds = watch.Elapsed.TotalSeconds;
        o.WriteLine($"  trained FM (bits {data.HashBits}, k {options.FactorDim}, {options.Epochs} epochs; {options.Describe()}) in {trainSeconds:F0} s");

        // Platt scaling on the slice between training and hold-out, folded into the weights.
        double plattA = 1, plattB = 0;
        Metrics.Report? uncalibrated = null;
        if (split > trainEnd)
        {
            var logits = new double[split - trainEnd];
            for (var i = 0; i < logits.Length; i++)
            {
                logits[i] = FmTrainer.Logit(weights, data.Row(trainEnd + i));
            }

            var calibrationLabels = data.Labels.AsSpan(trainEnd, logits.Length);
            var calibrationTruth = data.Truth is null ? default : data.Truth.AsSpan(trainEnd, logits.Length);
            uncalibrated = Metrics.Evaluate(logits.Select(z => 1.0 / (1.0 + Math.Exp(-z))).ToArray(), calibrationLabels, calibrationTruth);
            Report.Print(o, "calibration slice, raw", uncalibrated, deciles: true);
            (plattA, plattB) = PlattScaling.Fit(logits, calibrationLabels);
            PlattScaling.Fold(weights, plattA, plattB);
            o.WriteLine($"  Platt scaling a {plattA:F4}, b {plattB:+0.0000;-0.0000} folded into the weights");
        }

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
            Report.Print(o, "ground truth (ceiling)", ceiling, deciles: true);
        }

        // The prior table sees every impression before the hold-out (training and calibration):
        // it is counts, smoothed, so more rows only make it better calibrated.
        var priorFile = PriorBuilder.Build(data, split, $"{Path.GetFileName(dataPath)}: first {split:N0} impressions ({1 - holdout:P0}) of {data.Count:N0}");
        var priorTable = new PriorCtrTable(priorFile);
        var priorReport = Metrics.Evaluate(PriorBuilder.Predict(priorTable, data, split, data.Count), labels, truth);
        Report.Print(o, "prior table (fallback)", priorReport, deciles: true);
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
            Data = Path.GetFileName(Path.TrimEndingDirectorySeparator(dataPath)),
            Bids = data.Bids,
            Impressions = data.Wins,
            Clicks = data.Clicks,
            FirstEventUtc = DateTimeOffset.FromUnixTimeMilliseconds(data.TimestampsMs[0]).ToString("u", CultureInfo.InvariantCulture),
            LastEventUtc = DateTimeOffset.FromUnixTimeMilliseconds(data.TimestampsMs[^1]).ToString("u", CultureInfo.InvariantCulture),
            HashBits = data.HashBits,
            FactorDim = options.FactorDim,
            Epochs = options.Epochs,
            Seed = options.Seed,
            Optimizer = options.Describe(),
            HoldoutFraction = holdout,
            CalibrationFraction = calibration,
            TrainRows = trainEnd,
            TrainClicks = Sum(data.Labels.AsSpan(0, trainEnd)),
            CalibrationRows = split - trainEnd,
            CalibrationClicks = Sum(data.Labels.AsSpan(trainEnd, split - trainEnd)),
            HoldoutRows = n,
            HoldoutClicks = model.Clicks,
            PlattA = Math.Round(plattA, 6),
            PlattB = Math.Round(plattB, 6),
            LoadSeconds = Math.Round(loadSeconds, 1),
            TrainSeconds = Math.Round(trainSeconds, 1),
            Holdout = MetricSummary.From(model),
            CalibrationSliceRaw = uncalibrated is null ? null : MetricSummary.From(uncalibrated),
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

    private static long Sum(ReadOnlySpan<byte> labels)
    {
        long sum = 0;
        foreach (var y in labels)
        {
            sum += y;
        }

        return sum;
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
            ["calibration"] = $"Platt a {F(s.PlattA)}, b {F(s.PlattB)} folded into the weights, fitted on {s.CalibrationRows} rows before the hold-out",
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
