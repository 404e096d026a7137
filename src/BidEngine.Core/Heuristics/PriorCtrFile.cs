namespace BidEngine.Core.Heuristics;

/// <summary>The JSON form of a <see cref="PriorCtrTable"/> (<c>models/ctr.priors.json</c>).</summary>
public sealed class PriorCtrFile
{
    /// <summary>What the numbers mean and how they were smoothed, for a reader of the file.</summary>
    public string? Description { get; set; }

    /// <summary>Where the data came from (file, events, time range).</summary>
    public string? Source { get; set; }

    /// <summary>Clicks / impressions over all the data.</summary>
    public double GlobalCtr { get; set; }

    /// <summary>Pseudo-impressions of the parent's CTR added to every cell (additive smoothing).</summary>
    public double SmoothingImpressions { get; set; }

    public List<PriorCtrCampaign> Campaigns { get; set; } = [];
}
