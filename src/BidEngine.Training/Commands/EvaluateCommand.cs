using System.CommandLine;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Features;
using BidEngine.Model;
using BidEngine.Model.Authoring;
using BidEngine.Model.Onnx;
using BidEngine.Training.Data;
using BidEngine.Training.Learning;

namespace BidEngine.Training.Commands;

internal static class EvaluateCommand
{
    /// <summary>Rows per ONNX run: the scorer's largest bucket.</summary>
    private const int BatchRows = ModelOptions.MaxMaxBatchRows;

    public static Command Create(TextWriter o)
    {
        var model = CliOptions.Text("--model", "models/" + OnnxModelWriter.Fp32FileName, "the ONNX model to score with");
        var data = CliOptions.Text("--data", "data/sim.msgpack", "the event log whose tail is scored");
        var holdout = CliOptions.Double("--holdout", 0.2, 0.01, 1.0, "share at the end that is scored (train's hold-out)");
        var json = new Option<string?>("--json")
        {
            Description = "where the metrics are written [data/eval.<model file name>.json]",
            HelpName = "value",
        };
        var command = new Command("evaluate", "Scores the held-out tail through the bidder's own ONNX scorer and prints AUC, log-loss and calibration by decile.")
            .With(model, data, holdout, json);
        command.SetAction(async (r, _) =>
        {
            var modelPath = r.GetRequiredValue(model);
            return await RunAsync(modelPath, r.GetRequiredValue(data), r.GetValue(holdout), r.GetValue(json) ?? DefaultJsonPath(modelPath), o).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(string modelPath, string dataPath, double holdout, string json, TextWriter o)
    {
        var card = OnnxModelCard.Read(modelPath);
        o.WriteLine($"evaluate: reading {dataPath}");
        var data = await DatasetLoader.LoadAsync(dataPath, card.HashBits, o).ConfigureAwait(false);
        var summary = Evaluate(modelPath, data, Path.GetFileName(dataPath), holdout, o);
        Report.WriteJson(json, summary);
        o.WriteLine($"  wrote {json}");
        return 0;
    }

    public static string DefaultJsonPath(string modelPath) => Path.Combine("data", "eval." + Path.GetFileNameWithoutExtension(modelPath) + ".json");

    /// <summary>Scores the held-out tail of <paramref name="data"/> through the ONNX file and prints the metrics beside the ceiling.</summary>
    public static EvaluateSummary Evaluate(string modelPath, Dataset data, string dataName, double holdout, TextWriter o)
    {
        using var scorer = new OnnxCtrScorer(new ModelOptions { ModelPath = modelPath, MaxBatchRows = BatchRows });
        var version = scorer.Card.Metadata.GetValueOrDefault(ModelMetadataKeys.FeatureSpecVersion);
        if (version != FeatureSpec.Version)
        {
            throw new InvalidDataException($"{modelPath} was trained on feature spec '{version}', this build computes '{FeatureSpec.Version}'");
        }

        if (scorer.HashBits != data.HashBits || scorer.FeatureCount != FeatureSpec.FeatureCount)
        {
            throw new InvalidDataException($"{modelPath}: {scorer.HashBits} bits × {scorer.FeatureCount} features, data hashed to {data.HashBits} bits × {FeatureSpec.FeatureCount}");
        }

        var start = data.HoldoutStart(holdout);
        var n = data.Count - start;
        var predicted = new double[n];
        for (var offset = 0; offset < n; offset += BatchRows)
        {
            var rows = Math.Min(BatchRows, n - offset);
            var batch = scorer.Rent(rows);
            try
            {
                for (var r = 0; r < rows; r++)
                {
                    var target = batch.Features(r);
                    var source = data.Row(start + offset + r);
                    for (var f = 0; f < source.Length; f++)
                    {
                        target[f] = source[f];
                    }
                }

                var task = scorer.ScoreAsync(batch, ModelTimeLimit.None);
                if (!(task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult()))
                {
                    throw new InvalidOperationException("the scorer refused a batch without a deadline");
                }

                for (var r = 0; r < rows; r++)
                {
                    predicted[offset + r] = batch.Probability(r);
                }
            }
            finally
            {
                scorer.Return(batch);
            }
        }

        var labels = data.Labels.AsSpan(start);
        var truth = data.Truth is null ? default : data.Truth.AsSpan(start);
        var report = Metrics.Evaluate(predicted, labels, truth);
        o.WriteLine($"  {Path.GetFileName(modelPath)} ({scorer.Card.Precision}, scored through OnnxCtrScorer), held-out last {holdout:P0}:");
        Report.Print(o, "model", report, deciles: true);
        Metrics.Report? ceiling = null;
        if (data.Truth is not null)
        {
            ceiling = Metrics.Evaluate(data.Truth.AsSpan(start).ToArray().Select(t => (double)t).ToArray(), labels, truth);
            Report.Print(o, "ground truth (ceiling)", ceiling, deciles: false);
            o.WriteLine($"  AUC gap to ceiling {ceiling.Auc - report.Auc:F4}; worst decile |pred/truth-1| {report.Deciles.Max(d => Math.Abs(d.TruthError)):P1}, |pred/observed-1| {report.Deciles.Max(d => Math.Abs(d.ObservedError)):P1}");
        }

        return new EvaluateSummary
        {
            Model = Path.GetFileName(modelPath),
            Precision = scorer.Card.Precision,
            ScoredWith = "onnx (OnnxCtrScorer)",
            FileBytes = new FileInfo(modelPath).Length,
            Data = dataName,
            HoldoutFraction = holdout,
            Metrics = MetricSummary.From(report),
            Ceiling = ceiling is null ? null : MetricSummary.From(ceiling),
        };
    }
}
