using BidEngine.Training.Learning;

namespace BidEngine.Training.Audit;

/// <summary>What the audit verb was asked for (see <see cref="Commands.AuditCommand"/> for the options and defaults).</summary>
internal sealed record AuditSettings
{
    public required string DataPath { get; init; }

    public required string WeightsPath { get; init; }

    public required string OutputFolder { get; init; }

    public required double Holdout { get; init; }

    public required double Calibration { get; init; }

    public required IReadOnlyList<double> Sparsities { get; init; }

    /// <summary>Factor width of the retrained smaller variant; 0: none.</summary>
    public required int SmallFactorDim { get; init; }

    /// <summary>Hash bits of the retrained smaller variant; 0: none.</summary>
    public required int SmallHashBits { get; init; }

    /// <summary>Scorer calls per timing round at batch 1 (an eighth of that at batch 32).</summary>
    public required int Calls { get; init; }

    public required FmTrainerOptions Trainer { get; init; }
}
