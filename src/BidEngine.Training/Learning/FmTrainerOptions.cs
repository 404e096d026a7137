namespace BidEngine.Training.Learning;

/// <summary>Hyper-parameters of <see cref="FmTrainer"/>; the defaults are the ones the shipped model was trained with.</summary>
internal sealed record FmTrainerOptions
{
    public int FactorDim { get; init; } = 4;

    public int Epochs { get; init; } = 4;

    public int Seed { get; init; } = 1;

    /// <summary>AdaGrad step size of the bias and linear weights.</summary>
    public double LinearRate { get; init; } = 0.01;

    /// <summary>AdaGrad step size of the factors.</summary>
    public double FactorRate { get; init; } = 0.01;

    /// <summary>L2 on a linear weight, applied when its id is seen.</summary>
    public double LinearL2 { get; init; } = 1e-3;

    /// <summary>L2 on a factor, applied when its id is seen.</summary>
    public double FactorL2 { get; init; } = 1e-2;

    /// <summary>Standard deviation of the initial factors.</summary>
    public double InitSigma { get; init; } = 0.01;
}
