using BidEngine.Model.Authoring;
using BidEngine.Training.Learning;

namespace BidEngine.Training.Commands;

internal static class ExportCommand
{
    public const string ExportUsage = "export --weights data/weights.bin --out models/ctr.onnx";
    public const string QuantizeUsage = "quantize --weights data/weights.bin --out models/ctr.int8.onnx [--block-rows 32]";

    public static int RunExport(CommandArgs args, TextWriter o)
    {
        var weightsPath = args.String("weights", "data/weights.bin");
        var output = args.String("out", "models/" + OnnxModelWriter.Fp32FileName);
        args.CheckAllUsed();
        Export(WeightsFile.Load(weightsPath), output, o);
        return 0;
    }

    public static int RunQuantize(CommandArgs args, TextWriter o)
    {
        var weightsPath = args.String("weights", "data/weights.bin");
        var output = args.String("out", "models/" + OnnxModelWriter.Int8FileName);
        var blockRows = args.Int("block-rows", QuantizedCtrModelWeights.DefaultBlockRows, 1, 1 << 16);
        args.CheckAllUsed();
        Quantize(WeightsFile.Load(weightsPath), output, blockRows, o);
        return 0;
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
