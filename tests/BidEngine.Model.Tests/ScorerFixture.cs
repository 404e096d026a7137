using BidEngine.Model.Authoring;

namespace BidEngine.Model.Tests;

/// <summary>One small random model (HashBits 10, k 4, F 6) written as fp32 and int8, shared by the scorer tests.</summary>
public sealed class ScorerFixture : IDisposable
{
    public ScorerFixture()
    {
        Weights = TestModels.Random();
        Quantized = QuantizedFmTable.Quantize(Weights);
        Directory = TestModels.TempDirectory();
        (Fp32Path, Int8Path) = OnnxModelWriter.WriteBoth(Weights, Directory);
    }

    public CtrModelWeights Weights { get; }

    public QuantizedFmTable Quantized { get; }

    public string Directory { get; }

    public string Fp32Path { get; }

    public string Int8Path { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
