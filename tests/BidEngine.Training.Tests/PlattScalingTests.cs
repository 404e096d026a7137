using BidEngine.Model.Authoring;
using BidEngine.Training.Learning;

namespace BidEngine.Training.Tests;

public sealed class PlattScalingTests
{
    [Fact]
    public void FoldingIntoTheWeightsGivesExactlyTheRescaledLogit()
    {
        const int Bits = 6, K = 3, F = 5;
        var random = new Random(4);
        var rows = 1 << Bits;
        var linear = Enumerable.Range(0, rows).Select(_ => (float)((random.NextDouble() - 0.5) * 0.8)).ToArray();
        var factors = Enumerable.Range(0, rows * K).Select(_ => (float)((random.NextDouble() - 0.5) * 0.6)).ToArray();
        var weights = new CtrModelWeights(Bits, K, F, -4.2f, linear, factors, null);
        var samples = Enumerable.Range(0, 50).Select(_ => Enumerable.Range(0, F).Select(_ => random.Next(rows)).ToArray()).ToArray();
        var before = samples.Select(r => FmTrainer.Logit(weights, r)).ToArray();

        PlattScaling.Fold(weights, 0.7, -0.35);

        for (var i = 0; i < samples.Length; i++)
        {
            Assert.Equal((0.7 * before[i]) - 0.35, FmTrainer.Logit(weights, samples[i]), 4);
            Assert.Equal(FmTrainer.Predict(weights, samples[i]), weights.PredictReference(samples[i].Select(id => (long)id).ToArray()), 6);
        }
    }

    [Fact]
    public void FitRecoversTheScalingThatMadeTheLabels()
    {
        // Labels drawn from σ(0.6·z − 1.5): an over-confident score, as an FM fresh from training is.
        var random = new Random(12);
        var logits = new double[200_000];
        var labels = new byte[logits.Length];
        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] = -3.5 + (1.2 * (random.NextDouble() - 0.5) * 3.4);
            var p = 1.0 / (1.0 + Math.Exp(-((0.6 * logits[i]) - 1.5)));
            labels[i] = random.NextDouble() < p ? (byte)1 : (byte)0;
        }

        var (a, b) = PlattScaling.Fit(logits, labels);

        Assert.InRange(a, 0.5, 0.7);
        Assert.InRange(b, -1.9, -1.1);
    }

    [Fact]
    public void FitIsTheIdentityForAnAlreadyCalibratedScore()
    {
        var random = new Random(3);
        var logits = new double[100_000];
        var labels = new byte[logits.Length];
        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] = -4 + (2 * random.NextDouble());
            labels[i] = random.NextDouble() < 1.0 / (1.0 + Math.Exp(-logits[i])) ? (byte)1 : (byte)0;
        }

        var (a, b) = PlattScaling.Fit(logits, labels);

        Assert.InRange(a, 0.85, 1.15);
        Assert.InRange(b, -0.45, 0.45);
    }
}
