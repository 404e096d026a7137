using System.Globalization;
using BidEngine.Training.Learning;

namespace BidEngine.Training.Commands;

/// <summary>The optimizer as the card and the ONNX metadata state it.</summary>
internal static class OptimizerText
{
    public static string Describe(this FmTrainerOptions o)
    {
        var linear = o.LinearFtrl
            ? string.Create(CultureInfo.InvariantCulture, $"FTRL-Proximal linear (alpha {o.FtrlAlpha}, beta {o.FtrlBeta}, L1 {o.FtrlL1}, L2 {o.FtrlL2}), AdaGrad bias (lr {o.LinearRate})")
            : string.Create(CultureInfo.InvariantCulture, $"AdaGrad linear (lr {o.LinearRate}, L2 {o.LinearL2})");
        var decay = o.EpochRateDecay == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $", step sizes x {o.EpochRateDecay} per epoch");
        return string.Create(CultureInfo.InvariantCulture, $"{linear}, AdaGrad factors (lr {o.FactorRate}, L2 {o.FactorL2}, init sigma {o.InitSigma}){decay}, bias from logit(mean CTR)");
    }
}
