using System.CommandLine;
using BidEngine.Core.Features;
using BidEngine.Model.Authoring;
using BidEngine.Model.Onnx;

namespace BidEngine.Training.Commands;

/// <summary>Writes the readable model card <c>models/ctr.json</c> from the train and evaluate summaries.</summary>
internal static class CardCommand
{
    public static Command Create(TextWriter o)
    {
        var train = CliOptions.Text("--train", "data/weights.json", "train's summary");
        var fp32 = CliOptions.Text("--fp32", "data/eval.ctr.json", "evaluate's metrics of the fp32 model");
        var int8 = CliOptions.Text("--int8", "data/eval.ctr.int8.json", "evaluate's metrics of the int8 model");
        var output = CliOptions.Text("--out", "models/ctr.json", "the model card");
        var priors = CliOptions.Text("--priors", "ctr.priors.json", "the prior table's file name, as the card names it");
        var command = new Command("card", "Writes the readable model card from the train and evaluate summaries.").With(train, fp32, int8, output, priors);
        command.SetAction(r =>
        {
            Write(Report.ReadJson<TrainSummary>(r.GetRequiredValue(train)), Report.ReadJson<EvaluateSummary>(r.GetRequiredValue(fp32)),
                Report.ReadJson<EvaluateSummary>(r.GetRequiredValue(int8)), r.GetRequiredValue(priors), r.GetRequiredValue(output), o);
            return 0;
        });
        return command;
    }

    public static void Write(TrainSummary train, EvaluateSummary fp32, EvaluateSummary int8, string priorsFile, string output, TextWriter o)
    {
        var card = new
        {
            name = "bidengine-ctr",
            description = "Click-through-rate model of the bidder: logistic regression plus a second-order factorization machine over hashed request x candidate features. "
                + "p = sigmoid(bias + sum_f linear[id_f] + 1/2 sum_k [(sum_f V[id_f,k])^2 - sum_f V[id_f,k]^2]). Trained on simulated traffic (see training.data).",
            featureSpec = new
            {
                version = FeatureSpec.Version,
                hashBits = train.HashBits,
                featureCount = FeatureSpec.FeatureCount,
                fields = FeatureSpec.Fields,
                definedIn = "src/BidEngine.Core/Features/FeatureSpec.cs",
            },
            inputs = new[] { new { name = OnnxModelWriter.InputName, type = "int64", shape = $"[N, {FeatureSpec.FeatureCount}]", meaning = "hashed feature ids in [0, 2^hashBits), one per field in featureSpec.fields order" } },
            outputs = new[] { new { name = OnnxModelWriter.OutputName, type = "float32", shape = "[N, 1]", meaning = "click probability of the row" } },
            model = new
            {
                family = ModelMetadataKeys.FamilyValue,
                factorDim = train.FactorDim,
                hashBits = train.HashBits,
                graph = OnnxModelWriter.GraphFmTable,
                graphNodes = "Gather(table [2^hashBits, 1 + k]) -> ReduceSum over the ids -> Pow by [1, 2, ..., 2] -> Gemm (column weights [1, 1/2, ..., 1/2], + bias) -> Sigmoid; "
                    + "table row = [linear - 1/2 |v|^2, v]; int8: Gather(int8 table) -> Cast -> the same four, the per-column scales folded into the Gemm weights",
            },
            files = new
            {
                fp32 = new { file = fp32.Model, bytes = fp32.FileBytes },
                int8 = new { file = int8.Model, bytes = int8.FileBytes, scales = "one per column of the table, folded into the Gemm", sizeVsFp32 = Math.Round((double)int8.FileBytes / fp32.FileBytes, 4) },
                priors = priorsFile,
            },
            training = new
            {
                command = train.Command,
                regenerate = "models/regenerate.sh (see models/README.md)",
                data = new { file = train.Data, bids = train.Bids, impressions = train.Impressions, clicks = train.Clicks, first = train.FirstEventUtc, last = train.LastEventUtc },
                train.Optimizer,
                train.Epochs,
                train.Seed,
                split = $"time order: first {1 - train.HoldoutFraction - train.CalibrationFraction:P0} trains, next {train.CalibrationFraction:P0} fits the calibration, last {train.HoldoutFraction:P0} is held out",
                train.TrainRows,
                train.TrainClicks,
                train.CalibrationRows,
                train.CalibrationClicks,
                train.HoldoutRows,
                train.HoldoutClicks,
                calibration = new
                {
                    method = "Platt scaling p = sigmoid(a * logit + b), fitted on the calibration slice and folded into the weights (bias and linear x a, factors x sqrt(a), bias + b): the graph's output is the calibrated probability",
                    a = train.PlattA,
                    b = train.PlattB,
                },
                train.SimulateSeconds,
                train.LoadSeconds,
                train.TrainSeconds,
            },
            metrics = new
            {
                scoredWith = fp32.ScoredWith,
                fp32 = Brief(fp32.Metrics),
                int8 = Brief(int8.Metrics),
                int8AucLoss = Math.Round(fp32.Metrics.Auc - int8.Metrics.Auc, 5),
                ceiling = fp32.Ceiling is null ? null : Brief(fp32.Ceiling),
                aucGapToCeiling = fp32.Ceiling is null ? double.NaN : Math.Round(fp32.Ceiling.Auc - fp32.Metrics.Auc, 5),
                priorsFallback = Brief(train.Priors),
                constantLogLoss = train.ConstantLogLoss,
                decileErrorNote = "observed = clicks / rows of the decile; truth = mean true probability (simulated data). The ground truth's own error vs observed is the noise floor of the observed column.",
                ceilingMaxDecileErrorVsObserved = fp32.Ceiling?.MaxDecileErrorObserved,
                fp32Deciles = fp32.Metrics.Deciles,
                int8Deciles = int8.Metrics.Deciles,
            },
        };
        Report.WriteJson(output, card);
        o.WriteLine($"card: {output}");
    }

    private static object Brief(MetricSummary m) => new
    {
        rows = m.Rows,
        clicks = m.Clicks,
        auc = m.Auc,
        logLoss = m.LogLoss,
        meanPredicted = Math.Round(m.MeanPredicted, 6),
        observed = Math.Round(m.Observed, 6),
        maxDecileErrorVsObserved = m.MaxDecileErrorObserved,
        maxDecileErrorVsTruth = m.MaxDecileErrorTruth,
    };
}
