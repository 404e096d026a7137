using BidEngine.Model.Authoring;
using BidEngine.Training.Data;
using BidEngine.Training.Learning;

namespace BidEngine.Training.Audit;

/// <summary>Trains a variant as train does (same split, Platt scaling on the calibration slice folded in), without writing files.</summary>
internal static class VariantTrainer
{
    public static CtrModelWeights Train(Dataset data, FmTrainerOptions options, double holdout, double calibration, TextWriter o)
    {
        var split = data.HoldoutStart(holdout);
        var trainEnd = data.HoldoutStart(holdout + calibration);
        var weights = new FmTrainer(options).Train(data, trainEnd, TextWriter.Null);
        if (split > trainEnd)
        {
            var logits = new double[split - trainEnd];
            for (var i = 0; i < logits.Length; i++)
            {
                logits[i] = FmTrainer.Logit(weights, data.Row(trainEnd + i));
            }

            var (a, b) = PlattScaling.Fit(logits, data.Labels.AsSpan(trainEnd, logits.Length));
            PlattScaling.Fold(weights, a, b);
        }

        o.WriteLine($"  trained bits {data.HashBits}, k {options.FactorDim} on {trainEnd:N0} rows");
        return weights;
    }
}
