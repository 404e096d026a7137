namespace BidEngine.Training.Learning;

/// <summary>Hyper-parameters of <see cref="FmTrainer"/>; the defaults are the ones the shipped model was trained with.</summary>
internal sealed record FmTrainerOptions
{
    public int FactorDim { get; init; } = 4;

    public int Epochs { get; init; } = 6;

    public int Seed { get; init; } = 1;

    /// <summary>AdaGrad step size of the bias and linear weights.</summary>
    public double LinearRate { get; init; } = 0.01;

    /// <summary>AdaGrad step size of the factors.</summary>
    public double FactorRate { get; init; } = 0.01;

    /// <summary>L2 on a linear weight, applied when its id is seen.</summary>
    public double LinearL2 { get; init; } = 1e-3;

    /// <summary>L2 on a factor, applied when its id is seen.</summary>
    public double FactorL2 { get; init; } = 1e-2;

    /// <summary>
    /// Step sizes are multiplied by this after each epoch (1 = constant): later passes over the same
    /// rows take smaller steps, so the last epoch refines instead of re-fitting the noise.
    /// </summary>
    public double EpochRateDecay { get; init; } = 1.0;

    /// <summary>Use FTRL-Proximal (McMahan et al. 2013) for the linear weights instead of AdaGrad.</summary>
    public bool LinearFtrl { get; init; } = true;

    /// <summary>FTRL-Proximal α (per-coordinate step α / (β + √Σg²)).</summary>
    public double FtrlAlpha { get; init; } = 0.03;

    /// <summary>FTRL-Proximal β.</summary>
    public double FtrlBeta { get; init; } = 1.0;

    /// <summary>FTRL-Proximal L1 (sparsity: a weight stays 0 until its accumulated gradient beats it).</summary>
    public double FtrlL1 { get; init; }

    /// <summary>FTRL-Proximal L2 (a pull towards 0 that does not decay with the count, unlike the per-touch L2).</summary>
    public double FtrlL2 { get; init; } = 1.0;

    /// <summary>Standard deviation of the initial factors.</summary>
    public double InitSigma { get; init; } = 0.01;
}
