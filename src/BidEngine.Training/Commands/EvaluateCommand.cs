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
    public const string Usage = "evaluate --model models/ctr.onnx --data data/sim.msgpack [--holdout 0.2] [--json data/eval.ctr.json]";

    /// <summary>Rows per ONNX run: the scorer's largest bucket.</summary>
    private const int BatchRows = ModelOptions.MaxMaxBatchRows;

    public static async Task<int> RunAsync(CommandArgs args, TextWriter o)
    {
        var modelPath = args.String("model", "models/" + OnnxModelWriter.Fp32FileName);
        var dataPath = args.String("data", "data/sim.msgpack");
        var holdout = args.Double("holdout", 0.2, 0.01, 1.0);
        var json = args.String("json", DefaultJsonPath(modelPath));
        args.CheckAllUsed();
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

                var task = scorer.ScoreAsync(batch, RequestDeadline.None);
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
