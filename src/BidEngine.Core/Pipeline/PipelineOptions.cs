namespace BidEngine.Core.Pipeline;

/// <summary>Limits of the pipeline. Bound from <c>BidEngine:Pipeline</c>.</summary>
public sealed class PipelineOptions
{
    /// <summary>
    /// Most (imp × creative) rows scored for one request. Bounds the model's batch (the largest
    /// pinned bucket is 128 rows) and so the worst-case cost of one request.
    /// </summary>
    public int MaxCandidates { get; set; } = 128;

    public IEnumerable<string> Validate()
    {
        if (MaxCandidates is < 1 or > 4096)
        {
            yield return "BidEngine:Pipeline:MaxCandidates must be between 1 and 4096";
        }
    }
}
