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
    public void OneTableGraphSplitGraphAndPlainCSharpAgreeOnManyRows()
    {
        // The production shape (F 19, 2^18 ids, k 4) with weights as large as training makes them.
        var w = TestModels.Random(hashBits: 18, factorDim: 4, featureCount: 19, seed: 5);
        var table = FmTable.From(w);
        var dir = TestModels.TempDirectory();
        var fused = Path.Combine(dir, "fused.onnx");
        var split = Path.Combine(dir, "split.onnx");
        OnnxModelWriter.WriteFp32(table, fused);
        OnnxModelWriter.WriteSplitFp32(w, split);
        const int Rows = 2000;
        var ids = TestModels.Ids(Rows, w.FeatureCount, w.HashBits, 6);

        var fromFused = RunPlain(fused, ids, w.FeatureCount);
        var fromSplit = RunPlain(split, ids, w.FeatureCount);

        var spread = 0.0;
        for (var r = 0; r < Rows; r++)
        {
            var row = ids.AsSpan(r * w.FeatureCount, w.FeatureCount);
            var reference = w.PredictReference(row);
            Assert.Equal(reference, fromFused[r], 1e-5);
            Assert.Equal(reference, fromSplit[r], 1e-5);
            Assert.Equal(reference, table.Predict(row), 1e-5);
            spread = Math.Max(spread, Math.Abs(reference - 0.5));
        }

        // The rows must span real probabilities, or agreeing to 1e-5 would say little.
        Assert.True(spread > 0.1, $"probabilities stayed within {spread} of 0.5");
        Assert.Equal(OnnxModelWriter.GraphFmTable, OnnxModelCard.Read(fused).Metadata[ModelMetadataKeys.Graph]);
        Assert.Equal(OnnxModelWriter.GraphSplitTables, OnnxModelCard.Read(split).Metadata[ModelMetadataKeys.Graph]);
    }

    [Fact]
    public void OneTableGraphHasFiveNodesAndItsInt8GraphSix()
    {
        var w = TestModels.Random();

        Assert.Equal(["Gather", "ReduceSum", "Pow", "Gemm", "Sigmoid"], OnnxModelWriter.BuildFp32(FmTable.From(w)).Graph.Node.Select(n => n.OpType));
        Assert.Equal(["Gather", "Cast", "ReduceSum", "Pow", "Gemm", "Sigmoid"], OnnxModelWriter.BuildInt8(QuantizedFmTable.Quantize(w)).Graph.Node.Select(n => n.OpType));
    }

    [Fact]
    public void SplitInt8GraphMatchesItsBlockQuantizedReference()
    {
        var w = TestModels.Random();
        var q = QuantizedCtrModelWeights.Quantize(w);
        var path = Path.Combine(TestModels.TempDirectory(), "split.int8.onnx");
        OnnxModelWriter.WriteSplitInt8(q, path);
        var ids = TestModels.Ids(50, w.FeatureCount, w.HashBits, 3);

        var got = RunPlain(path, ids, w.FeatureCount);

        for (var r = 0; r < 50; r++)
        {
            Assert.Equal(q.PredictReference(ids.AsSpan(r * w.FeatureCount, w.FeatureCount)), got[r], 1e-5);
        }
    }

    [Fact]
    public void Int8GraphMatchesQuantizedReferenceWhenRunByPlainSession()
    {
        var w = TestModels.Random();
        var q = QuantizedFmTable.Quantize(w);
        var path = Path.Combine(TestModels.TempDirectory(), OnnxModelWriter.Int8FileName);
        OnnxModelWriter.WriteInt8(q, path);
        var ids = TestModels.Ids(200, w.FeatureCount, w.HashBits, 2);

        var got = RunPlain(path, ids, w.FeatureCount);

        for (var r = 0; r < 200; r++)
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
        Assert.Equal("per-column", card8.Metadata[ModelMetadataKeys.QuantScales]);
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
