using System.Runtime.InteropServices;
using System.Text.Json;
using BidEngine.Model.Authoring;

namespace BidEngine.Training.Learning;

/// <summary>
/// The trainer's own weights file (<c>data/weights.bin</c>), read by export and quantize:
/// "BEFMW001", hash bits, k, feature count, bias, the linear and factor tables as
/// little-endian float32, then the metadata as JSON.
/// </summary>
internal static class WeightsFile
{
    private const string Magic = "BEFMW001";

    public static void Save(CtrModelWeights weights, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new BinaryWriter(stream);
        writer.Write(Magic);
        writer.Write(weights.HashBits);
        writer.Write(weights.FactorDim);
        writer.Write(weights.FeatureCount);
        writer.Write(weights.Bias);
        writer.Write(MemoryMarshal.AsBytes(weights.Linear.AsSpan()));
        writer.Write(MemoryMarshal.AsBytes(weights.Factors.AsSpan()));
        writer.Write(JsonSerializer.Serialize(weights.Metadata));
    }

    public static CtrModelWeights Load(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        using var reader = new BinaryReader(stream);
        if (reader.ReadString() != Magic)
        {
            throw new InvalidDataException($"{path}: not a weights file of this tool");
        }

        var bits = reader.ReadInt32();
        var k = reader.ReadInt32();
        var features = reader.ReadInt32();
        var bias = reader.ReadSingle();
        if (bits is < 1 or > CtrModelWeights.MaxHashBits || k is < 1 or > CtrModelWeights.MaxFactorDim)
        {
            throw new InvalidDataException($"{path}: bad shape (bits {bits}, k {k})");
        }

        var linear = new float[1 << bits];
        var factors = new float[(1 << bits) * k];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(linear.AsSpan()));
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(factors.AsSpan()));
        var metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.ReadString()) ?? [];
        return new CtrModelWeights(bits, k, features, bias, linear, factors, metadata);
    }
}
