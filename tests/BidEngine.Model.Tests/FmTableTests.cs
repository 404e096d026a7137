using BidEngine.Model.Authoring;

namespace BidEngine.Model.Tests;

public sealed class FmTableTests
{
    [Fact]
    public void TableRowHoldsTheLinearWeightLessHalfTheFactorSquaresThenTheFactors()
    {
        var w = TestModels.Random(hashBits: 4, factorDim: 3, featureCount: 2);
        var t = FmTable.From(w);

        for (var i = 0; i < w.Rows; i++)
        {
            var v = w.FactorsOf(i);
            var squares = (v[0] * v[0]) + (v[1] * v[1]) + (v[2] * v[2]);
            Assert.Equal(w.Linear[i] - (0.5f * squares), t.Values[i * 4], 1e-6f);
            Assert.Equal(v.ToArray(), t.Values.AsSpan((i * 4) + 1, 3).ToArray());
        }
    }

    [Fact]
    public void QuantizedValuesAreWithinHalfAScaleOfTheTableAndEachColumnUsesItsFullRange()
    {
        var w = TestModels.Random(hashBits: 8, factorDim: 4, featureCount: 3);
        var t = FmTable.From(w);
        var q = QuantizedFmTable.Quantize(t);

        Assert.Equal(t.Width, q.Scales.Length);
        for (var c = 0; c < t.Width; c++)
        {
            var max = 0f;
            var maxQ = 0;
            for (var i = c; i < t.Values.Length; i += t.Width)
            {
                max = Math.Max(max, Math.Abs(t.Values[i]));
                maxQ = Math.Max(maxQ, Math.Abs((int)q.Values[i]));
                Assert.InRange(t.Values[i] - (q.Values[i] * q.Scales[c]), -0.5001f * q.Scales[c], 0.5001f * q.Scales[c]);
            }

            Assert.Equal(max / 127f, q.Scales[c], 1e-7f);
            Assert.Equal(127, maxQ);
        }
    }

    [Fact]
    public void AZeroColumnQuantizesToZeroWithAZeroScale()
    {
        var w = TestModels.Random(hashBits: 4, factorDim: 2, featureCount: 2);
        Array.Clear(w.Factors);
        Array.Clear(w.Linear);

        var q = QuantizedFmTable.Quantize(w);

        Assert.All(q.Scales, s => Assert.Equal(0f, s));
        Assert.All(q.Values, v => Assert.Equal(0, v));
        Assert.Equal(1 / (1 + Math.Exp(3.0)), q.PredictReference([1, 2]), 1e-6);
    }
}
