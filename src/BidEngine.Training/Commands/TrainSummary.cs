namespace BidEngine.Training.Commands;

/// <summary>What <c>train</c> did, written next to the weights (<c>weights.json</c>) for the model card.</summary>
internal sealed record TrainSummary
{
    public string FeatureSpecVersion { get; init; } = "";

    public string Command { get; init; } = "";

    public string Data { get; init; } = "";

    public long Bids { get; init; }

    public long Impressions { get; init; }

    public long Clicks { get; init; }

    public string FirstEventUtc { get; init; } = "";

    public string LastEventUtc { get; init; } = "";

    public int HashBits { get; init; }

    public int FactorDim { get; init; }

    public int Epochs { get; init; }

    public int Seed { get; init; }

    public string Optimizer { get; init; } = "";

    public double HoldoutFraction { get; init; }

    public double CalibrationFraction { get; init; }

    public int TrainRows { get; init; }

    public long TrainClicks { get; init; }

    public int CalibrationRows { get; init; }

    public long CalibrationClicks { get; init; }

    public long HoldoutClicks { get; init; }

    /// <summary>Platt scaling folded into the weights: logit' = a · logit + b.</summary>
    public double PlattA { get; init; } = 1;

    public double PlattB { get; init; }

    public int HoldoutRows { get; init; }

    /// <summary>Seconds to simulate the data, when <c>all</c> did it.</summary>
    public double SimulateSeconds { get; init; }

    public double LoadSeconds { get; init; }

    public double TrainSeconds { get; init; }

    public MetricSummary Holdout { get; init; } = new();

    /// <summary>The model before Platt scaling, on the calibration slice.</summary>
    public MetricSummary? CalibrationSliceRaw { get; init; }

    public MetricSummary? Ceiling { get; init; }

    public MetricSummary Priors { get; init; } = new();

    public double ConstantLogLoss { get; init; }
}
