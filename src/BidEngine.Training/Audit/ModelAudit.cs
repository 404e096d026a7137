using System.Globalization;
using System.IO.Compression;
using BidEngine.Model.Authoring;
using BidEngine.Training.Commands;
using BidEngine.Training.Data;
using BidEngine.Training.Learning;

namespace BidEngine.Training.Audit;

/// <summary>
/// Writes each model variant next to the others, scores the held-out tail through the bidder's scorer,
/// times a call at batch 1 and 32, and returns one row per variant: fp32 and int8 of the one-table graph,
/// the same weights in the previous split-tables graph, the fp32 model pruned at each sparsity, and
/// retrained with a smaller factor width and with fewer hash bits.
/// </summary>
internal sealed class ModelAudit(AuditSettings settings, TextWriter o)
{
    public async Task<IReadOnlyList<AuditRow>> RunAsync()
    {
        Directory.CreateDirectory(settings.OutputFolder);
        var weights = WeightsFile.Load(settings.WeightsPath);
        o.WriteLine($"audit: reading {settings.DataPath} at {weights.HashBits} bits");
        var data = await DatasetLoader.LoadAsync(settings.DataPath, weights.HashBits, o).ConfigureAwait(false);
        var rows = new List<AuditRow>();
        var table = FmTable.From(weights);

        rows.Add(Measure("fp32", "ctr.onnx", p => OnnxModelWriter.WriteFp32(table, p), data, weights, 0));
        rows.Add(Measure("int8", "ctr.int8.onnx", p => OnnxModelWriter.WriteInt8(QuantizedFmTable.Quantize(table), p), data, weights, 0));
        rows.Add(Measure("fp32, previous graph", "ctr.split.onnx", p => OnnxModelWriter.WriteSplitFp32(weights, p), data, weights, 0));
        rows.Add(Measure("int8, previous graph", "ctr.split.int8.onnx", p => OnnxModelWriter.WriteSplitInt8(QuantizedCtrModelWeights.Quantize(weights), p), data, weights, 0));

        var hits = RowPruning.HitCounts(data, data.HoldoutStart(settings.Holdout + settings.Calibration));
        o.WriteLine($"  {hits.Count(h => h == 0):N0} of {hits.Length:N0} hash rows never hit by the training rows");
        foreach (var sparsity in settings.Sparsities)
        {
            var pruned = RowPruning.Prune(weights, hits, sparsity);
            var name = string.Create(CultureInfo.InvariantCulture, $"pruned {sparsity:P0}");
            var file = string.Create(CultureInfo.InvariantCulture, $"ctr.pruned{sparsity * 100:0}.onnx");
            rows.Add(Measure("fp32, " + name, file, p => OnnxModelWriter.WriteFp32(pruned, p), data, pruned, sparsity));
            rows.Add(Measure("int8, " + name, file.Replace(".onnx", ".int8.onnx", StringComparison.Ordinal), p => OnnxModelWriter.WriteInt8(QuantizedFmTable.Quantize(pruned), p), data, pruned, sparsity));
        }

        if (settings.SmallFactorDim > 0)
        {
            o.WriteLine($"== retrain with k {settings.SmallFactorDim}");
            var small = VariantTrainer.Train(data, settings.Trainer with { FactorDim = settings.SmallFactorDim }, settings.Holdout, settings.Calibration, o);
            small.Metadata = weights.Metadata;
            rows.Add(Measure($"fp32, k {settings.SmallFactorDim}", $"ctr.k{settings.SmallFactorDim}.onnx", p => OnnxModelWriter.WriteFp32(small, p), data, small, 0));
            rows.Add(Measure($"int8, k {settings.SmallFactorDim}", $"ctr.k{settings.SmallFactorDim}.int8.onnx", p => OnnxModelWriter.WriteInt8(QuantizedFmTable.Quantize(small), p), data, small, 0));
        }

        if (settings.SmallHashBits > 0)
        {
            o.WriteLine($"== retrain with {settings.SmallHashBits} hash bits");
            data = null!; // the 2^bits dataset is big; let it go before loading the other
            GC.Collect();
            var fewer = await DatasetLoader.LoadAsync(settings.DataPath, settings.SmallHashBits, o).ConfigureAwait(false);
            var small = VariantTrainer.Train(fewer, settings.Trainer with { FactorDim = weights.FactorDim }, settings.Holdout, settings.Calibration, o);
            small.Metadata = weights.Metadata;
            rows.Add(Measure($"fp32, {settings.SmallHashBits} bits", $"ctr.bits{settings.SmallHashBits}.onnx", p => OnnxModelWriter.WriteFp32(small, p), fewer, small, 0));
            rows.Add(Measure($"int8, {settings.SmallHashBits} bits", $"ctr.bits{settings.SmallHashBits}.int8.onnx", p => OnnxModelWriter.WriteInt8(QuantizedFmTable.Quantize(small), p), fewer, small, 0));
        }

        return rows;
    }

    private AuditRow Measure(string variant, string file, Action<string> write, Dataset data, CtrModelWeights weights, double sparsity)
    {
        var path = Path.Combine(settings.OutputFolder, file);
        write(path);
        var evaluation = EvaluateCommand.Evaluate(path, data, Path.GetFileName(settings.DataPath), settings.Holdout, TextWriter.Null);
        var first = data.HoldoutStart(settings.Holdout);
        var b1 = CallTiming.MicrosPerCall(path, data, first, 1, settings.Calls);
        var b32 = CallTiming.MicrosPerCall(path, data, first, 32, Math.Max(1, settings.Calls / 8)) / 32;
        var row = new AuditRow
        {
            Variant = variant,
            File = file,
            Graph = GraphOf(path),
            Precision = evaluation.Precision,
            HashBits = weights.HashBits,
            FactorDim = weights.FactorDim,
            Sparsity = sparsity,
            Auc = Math.Round(evaluation.Metrics.Auc, 5),
            AucGapToCeiling = evaluation.Ceiling is null ? double.NaN : Math.Round(evaluation.Ceiling.Auc - evaluation.Metrics.Auc, 5),
            LogLoss = Math.Round(evaluation.Metrics.LogLoss, 6),
            MaxDecileErrorVsTruth = evaluation.Metrics.MaxDecileErrorTruth,
            FileBytes = evaluation.FileBytes,
            GzipBytes = GzipBytes(path),
            MicrosBatch1 = Math.Round(b1, 2),
            MicrosPerRowBatch32 = Math.Round(b32, 3),
        };
        o.WriteLine($"  {variant,-24} AUC {row.Auc:F4} (gap {row.AucGapToCeiling:F4})  {row.FileBytes / 1e6:F2} MB ({row.GzipBytes / 1e6:F2} gzip)  {row.MicrosBatch1:F2} us/call  {row.MicrosPerRowBatch32:F3} us/row at 32");
        return row;
    }

    private static string GraphOf(string path) => Model.Onnx.OnnxModelCard.Read(path).Metadata.GetValueOrDefault(Model.Onnx.ModelMetadataKeys.Graph, "?");

    private static long GzipBytes(string path)
    {
        using var counter = new CountingStream();
        using (var gzip = new GZipStream(counter, CompressionLevel.Optimal, leaveOpen: true))
        using (var file = File.OpenRead(path))
        {
            file.CopyTo(gzip);
        }

        return counter.Length;
    }
}
