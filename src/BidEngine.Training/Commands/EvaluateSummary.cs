namespace BidEngine.Training.Commands;

/// <summary>What <c>evaluate</c> measured for one model file, kept for the model card.</summary>
internal sealed record EvaluateSummary
{
    public string Model { get; init; } = "";

    public string Precision { get; init; } = "";

    /// <summary>"onnx (OnnxCtrScorer)" or "C# reference".</summary>
    public string ScoredWith { get; init; } = "";

    public long FileBytes { get; init; }

    public string Data { get; init; } = "";

    public double HoldoutFraction { get; init; }

    public MetricSummary Metrics { get; init; } = new();

    public MetricSummary? Ceiling { get; init; }
}
