using System.CommandLine;
using BidEngine.Model.Authoring;
using BidEngine.Training.Learning;

namespace BidEngine.Training.Commands;

internal static class ExportCommand
{
    public static Command CreateExport(TextWriter o)
    {
        var weights = CliOptions.Text("--weights", "data/weights.bin", "the weights written by train");
        var output = CliOptions.Text("--out", "models/" + OnnxModelWriter.Fp32FileName, "the fp32 ONNX model");
        var graph = Graph();
        var command = new Command("export", "Writes the weights as the fp32 ONNX model.").With(weights, output, graph);
        command.SetAction(r =>
        {
            Export(WeightsFile.Load(r.GetRequiredValue(weights)), r.GetRequiredValue(output), r.GetRequiredValue(graph), o);
            return 0;
        });
        return command;
    }

    public static Command CreateQuantize(TextWriter o)
    {
        var weights = CliOptions.Text("--weights", "data/weights.bin", "the weights written by train");
        var output = CliOptions.Text("--out", "models/" + OnnxModelWriter.Int8FileName, "the int8 ONNX model");
        var blockRows = CliOptions.Int("--block-rows", QuantizedCtrModelWeights.DefaultBlockRows, 1, 1 << 16, "ids per int8 scale (a power of two), for --graph split-tables");
        var graph = Graph();
        var command = new Command("quantize", "Writes the weights as the int8 ONNX model: one scale per column of the one-table graph (or per block of ids in the split-tables graph).")
            .With(weights, output, graph, blockRows);
        command.SetAction(r =>
        {
            Quantize(WeightsFile.Load(r.GetRequiredValue(weights)), r.GetRequiredValue(output), r.GetRequiredValue(graph), r.GetValue(blockRows), o);
            return 0;
        });
        return command;
    }

    /// <summary>--graph: the one-table graph the bidder ships, or the previous two-table graph (to compare).</summary>
    private static Option<string> Graph()
    {
        var graph = CliOptions.Text("--graph", OnnxModelWriter.GraphFmTable, $"{OnnxModelWriter.GraphFmTable} (one table, 5 nodes) or {OnnxModelWriter.GraphSplitTables} (the previous 13-node graph)");
        graph.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string>();
            if (value is not OnnxModelWriter.GraphFmTable and not OnnxModelWriter.GraphSplitTables)
            {
                r.AddError($"--graph must be {OnnxModelWriter.GraphFmTable} or {OnnxModelWriter.GraphSplitTables}, got '{value}'");
            }
        });
        return graph;
    }

    public static void Export(CtrModelWeights weights, string output, TextWriter o) => Export(weights, output, OnnxModelWriter.GraphFmTable, o);

    public static void Export(CtrModelWeights weights, string output, string graph, TextWriter o)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        if (graph == OnnxModelWriter.GraphSplitTables)
        {
            OnnxModelWriter.WriteSplitFp32(weights, output);
        }
        else
        {
            OnnxModelWriter.WriteFp32(weights, output);
        }

        o.WriteLine($"export: {output} (fp32, {graph}, {new FileInfo(output).Length / 1e6:F2} MB)");
    }

    public static void Quantize(CtrModelWeights weights, string output, TextWriter o) => Quantize(weights, output, OnnxModelWriter.GraphFmTable, QuantizedCtrModelWeights.DefaultBlockRows, o);

    public static void Quantize(CtrModelWeights weights, string output, string graph, int blockRows, TextWriter o)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        if (graph == OnnxModelWriter.GraphSplitTables)
        {
            OnnxModelWriter.WriteSplitInt8(QuantizedCtrModelWeights.Quantize(weights, blockRows), output);
            o.WriteLine($"quantize: {output} (int8, {graph}, {blockRows} ids per scale, {new FileInfo(output).Length / 1e6:F2} MB)");
            return;
        }

        OnnxModelWriter.WriteInt8(QuantizedFmTable.Quantize(weights), output);
        o.WriteLine($"quantize: {output} (int8, {graph}, one scale per column, {new FileInfo(output).Length / 1e6:F2} MB)");
    }
}
