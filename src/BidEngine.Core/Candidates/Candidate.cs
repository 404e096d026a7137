using BidEngine.Core.Campaigns;

namespace BidEngine.Core.Candidates;

/// <summary>A (imp, campaign, creative) that may bid, with the imp's floor already in USD.</summary>
public record struct Candidate(int ImpIndex, Campaign Campaign, Creative Creative, double FloorUsd)
{
    /// <summary>Predicted click probability; set by the scoring stage.</summary>
    public double Ctr { get; set; }

    /// <summary>The CPM this candidate would bid in USD; 0 when it cannot clear the floor.</summary>
    public double BidUsd { get; set; }
}
