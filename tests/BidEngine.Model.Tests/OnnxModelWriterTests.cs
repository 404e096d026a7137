using BidEngine.Model.Authoring;
using BidEngine.Model.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace BidEngine.Model.Tests;

public sealed class OnnxModelWriterTests
{
    [Fact]
    public void Fp32GraphMatchesReferenceWhenRunByPlainSession()
    {
        var w = TestModels.Random();
        var dir = TestModels.TempDirectory();
        var (fp32, _) = OnnxModelWriter.WriteBoth(w, dir);
        var ids = TestModels.Ids(5, w.FeatureCount, w.HashBits, 1);

        var got = RunPlain(fp32, ids, w.FeatureCount);

        for (var r = 0; r < 5; r++)
        {
            Assert.Equal(w.PredictReference(ids.AsSpan(r * w.FeatureCount, w.FeatureCount)), got[r], 1e-5);
        }
    }

    [Fact]
    public void Int8GraphMatchesQuantizedReferenceWhenRunByPlainSession()
    {
        var w = TestModels.Random();
        var q = QuantizedCtrModelWeights.Quantize(w);
        var path = Path.Combine(TestModels.TempDirectory(), OnnxModelWriter.Int8FileName);
        OnnxModelWriter.WriteInt8(q, path);
        var ids = TestModels.Ids(5, w.FeatureCount, w.HashBits, 2);

        var got = RunPlain(path, ids, w.FeatureCount);

        for (var r = 0; r < 5; r++)
        {
            var row = ids.AsSpan(r * w.FeatureCount, w.FeatureCount);
            Assert.Equal(q.PredictReference(row), got[r], 1e-5);
            Assert.Equal(w.PredictReference(row), got[r], 2e-2);
        }
    }

    [Fact]
    public void MetadataRoundTripsThroughTheModelCard()
    {
        var w = TestModels.Random();
        var (fp32, int8) = OnnxModelWriter.WriteBoth(w, TestModels.TempDirectory());

        var card = OnnxModelCard.Read(fp32);
        var card8 = OnnxModelCard.Read(int8);

        Assert.Equal((10, 4, 6, "fp32"), (card.HashBits, card.FactorDim, card.FeatureCount, card.Precision));
        Assert.Equal("int8", card8.Precision);
        Assert.Equal("32", card8.Metadata[ModelMetadataKeys.QuantBlockRows]);
        foreach (var (key, value) in w.Metadata)
        {
            Assert.Equal(value, card.Metadata[key]);
            Assert.Equal(value, card8.Metadata[key]);
        }
    }

    [Fact]
    public void Int8FileIsAtMostThirtyPercentOfFp32ForARealisticTable()
    {
        var w = new CtrModelWeights(18, 8, 8);
        var rng = new Random(3);
        for (var i = 0; i < w.Factors.Length; i++)
        {
            w.Factors[i] = (float)rng.NextDouble() - 0.5f;
        }

        var dir = TestModels.TempDirectory();
        try
        {
            var (fp32, int8) = OnnxModelWriter.WriteBoth(w, dir);
            var ratio = (double)new FileInfo(int8).Length / new FileInfo(fp32).Length;
            Assert.InRange(ratio, 0.2, 0.30);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ReservedMetadataKeysComeFromTheWeightsNotTheCaller()
    {
        var w = TestModels.Random();
        w.Metadata = new Dictionary<string, string> { [ModelMetadataKeys.HashBits] = "99", ["note"] = "x" };
        var path = Path.Combine(TestModels.TempDirectory(), "m.onnx");
        OnnxModelWriter.WriteFp32(w, path);

        var card = OnnxModelCard.Read(path);

        Assert.Equal(10, card.HashBits);
        Assert.Equal("x", card.Metadata["note"]);
    }

    private static float[] RunPlain(string path, long[] ids, int featureCount)
    {
        using var session = new InferenceSession(path);
        using var input = OrtValue.CreateTensorValueFromMemory(ids, [ids.Length / featureCount, featureCount]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [OnnxModelWriter.InputName], [input], [OnnxModelWriter.OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
