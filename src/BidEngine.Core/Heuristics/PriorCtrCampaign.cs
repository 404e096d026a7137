namespace BidEngine.Core.Heuristics;

/// <summary>The priors of one campaign in a <see cref="PriorCtrFile"/>.</summary>
public sealed class PriorCtrCampaign
{
    public string Id { get; set; } = "";

    /// <summary>Smoothed CTR of the campaign over all placements.</summary>
    public double Ctr { get; set; }

    public long Impressions { get; set; }

    public long Clicks { get; set; }

    public List<PriorCtrBucket> Buckets { get; set; } = [];
}
