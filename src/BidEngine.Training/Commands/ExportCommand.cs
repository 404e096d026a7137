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
        var command = new Command("export", "Writes the weights as the fp32 ONNX model.").With(weights, output);
        command.SetAction(r =>
        {
            Export(WeightsFile.Load(r.GetRequiredValue(weights)), r.GetRequiredValue(output), o);
            return 0;
        });
        return command;
    }

    public static Command CreateQuantize(TextWriter o)
    {
        var weights = CliOptions.Text("--weights", "data/weights.bin", "the weights written by train");
        var output = CliOptions.Text("--out", "models/" + OnnxModelWriter.Int8FileName, "the int8 ONNX model");
        var blockRows = CliOptions.Int("--block-rows", QuantizedCtrModelWeights.DefaultBlockRows, 1, 1 << 16, "ids per int8 scale (a power of two)");
        var command = new Command("quantize", "Writes the weights as the int8 ONNX model, one scale per block of ids.").With(weights, output, blockRows);
        command.SetAction(r =>
        {
            Quantize(WeightsFile.Load(r.GetRequiredValue(weights)), r.GetRequiredValue(output), r.GetValue(blockRows), o);
            return 0;
        });
        return command;
    }

    public static void Export(CtrModelWeights weights, string output, TextWriter o)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        OnnxModelWriter.WriteFp32(weights, output);
        o.WriteLine($"export: {output} (fp32, {new FileInfo(output).Length / 1e6:F2} MB)");
    }

    public static void Quantize(CtrModelWeights weights, string output, int blockRows, TextWriter o)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        var quantized = QuantizedCtrModelWeights.Quantize(weights, blockRows);
        OnnxModelWriter.WriteInt8(quantized, output);
        o.WriteLine($"quantize: {output} (int8, {blockRows} ids per scale, {new FileInfo(output).Length / 1e6:F2} MB)");
    }
}
