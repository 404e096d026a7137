using System.CommandLine;
using BidEngine.Training.Learning;

namespace BidEngine.Training.Commands;

/// <summary>
/// The trainer's options, which train and all read alike (all names the seed --train-seed: its --seed
/// seeds the simulation). Defaults are <see cref="FmTrainerOptions"/>'s, the shipped model's.
/// </summary>
internal sealed class TrainerOptions
{
    private static readonly FmTrainerOptions Defaults = new();

    private readonly Option<int> _k = CliOptions.Int("--k", Defaults.FactorDim, 1, 64, "factor dimension of the FM part");
    private readonly Option<int> _epochs = CliOptions.Int("--epochs", Defaults.Epochs, 1, 100, "passes over the training rows");
    private readonly Option<int> _seed;
    private readonly Option<double> _lr = CliOptions.Double("--lr", Defaults.LinearRate, 1e-6, 10, "AdaGrad step size of the bias (and of the linear weights without FTRL)");
    private readonly Option<double> _lrFactors = CliOptions.Double("--lr-factors", Defaults.FactorRate, 1e-6, 10, "AdaGrad step size of the factors");
    private readonly Option<double> _l2 = CliOptions.Double("--l2", Defaults.FactorL2, 0, 1, "L2 on a factor, applied when its id is seen");
    private readonly Option<double> _l2Linear = CliOptions.Double("--l2-linear", Defaults.LinearL2, 0, 1, "L2 on a linear weight without FTRL");
    private readonly Option<bool> _ftrl = CliOptions.Bool("--ftrl", Defaults.LinearFtrl, "FTRL-Proximal for the linear weights (false: AdaGrad)");
    private readonly Option<double> _alpha = CliOptions.Double("--alpha", Defaults.FtrlAlpha, 1e-6, 10, "FTRL alpha");
    private readonly Option<double> _beta = CliOptions.Double("--beta", Defaults.FtrlBeta, 0, 100, "FTRL beta");
    private readonly Option<double> _l1 = CliOptions.Double("--l1", Defaults.FtrlL1, 0, 100, "FTRL L1");
    private readonly Option<double> _ftrlL2 = CliOptions.Double("--ftrl-l2", Defaults.FtrlL2, 0, 1000, "FTRL L2");
    private readonly Option<double> _decay = CliOptions.Double("--decay", Defaults.EpochRateDecay, 0.01, 1, "step sizes are multiplied by this after each epoch");

    public TrainerOptions(string seedName)
    {
        _seed = CliOptions.Int(seedName, Defaults.Seed, 0, int.MaxValue, "seed of the initial factors");
    }

    public Option[] All => [_k, _epochs, _seed, _lr, _lrFactors, _l2, _l2Linear, _ftrl, _alpha, _beta, _l1, _ftrlL2, _decay];

    public FmTrainerOptions Read(ParseResult result) => Defaults with
    {
        FactorDim = result.GetValue(_k),
        Epochs = result.GetValue(_epochs),
        Seed = result.GetValue(_seed),
        LinearRate = result.GetValue(_lr),
        FactorRate = result.GetValue(_lrFactors),
        LinearL2 = result.GetValue(_l2Linear),
        FactorL2 = result.GetValue(_l2),
        LinearFtrl = result.GetValue(_ftrl),
        FtrlAlpha = result.GetValue(_alpha),
        FtrlBeta = result.GetValue(_beta),
        FtrlL1 = result.GetValue(_l1),
        FtrlL2 = result.GetValue(_ftrlL2),
        EpochRateDecay = result.GetValue(_decay),
    };
}
