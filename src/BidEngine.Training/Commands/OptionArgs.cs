using System.Globalization;
using BidEngine.Training.Learning;

namespace BidEngine.Training.Commands;

/// <summary>The trainer options that train and all read alike: the linear optimizer and the per-epoch decay.</summary>
internal static class OptionArgs
{
    public const string Usage = "[--ftrl false] [--alpha 0.03] [--beta 1] [--l1 0] [--ftrl-l2 1] [--decay 1]";

    public static FmTrainerOptions WithLinearAndDecay(this FmTrainerOptions options, CommandArgs args) => options with
    {
        LinearFtrl = args.Bool("ftrl", options.LinearFtrl),
        FtrlAlpha = args.Double("alpha", options.FtrlAlpha, 1e-6, 10),
        FtrlBeta = args.Double("beta", options.FtrlBeta, 0, 100),
        FtrlL1 = args.Double("l1", options.FtrlL1, 0, 100),
        FtrlL2 = args.Double("ftrl-l2", options.FtrlL2, 0, 1000),
        EpochRateDecay = args.Double("decay", options.EpochRateDecay, 0.01, 1),
    };

    /// <summary>The optimizer as the card and the ONNX metadata state it.</summary>
    public static string Describe(this FmTrainerOptions o)
    {
        var linear = o.LinearFtrl
            ? string.Create(CultureInfo.InvariantCulture, $"FTRL-Proximal linear (alpha {o.FtrlAlpha}, beta {o.FtrlBeta}, L1 {o.FtrlL1}, L2 {o.FtrlL2}), AdaGrad bias (lr {o.LinearRate})")
            : string.Create(CultureInfo.InvariantCulture, $"AdaGrad linear (lr {o.LinearRate}, L2 {o.LinearL2})");
        var decay = o.EpochRateDecay == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $", step sizes x {o.EpochRateDecay} per epoch");
        return string.Create(CultureInfo.InvariantCulture, $"{linear}, AdaGrad factors (lr {o.FactorRate}, L2 {o.FactorL2}, init sigma {o.InitSigma}){decay}, bias from logit(mean CTR)");
    }
}
