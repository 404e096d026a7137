using BidEngine.Core.Campaigns;

namespace BidEngine.Core.Candidates;

/// <summary>
/// A (imp, campaign, creative) that may bid, with its floor already in USD; <paramref name="DealIndex"/>
/// is the deal of the imp's <c>pmp.deals</c> it bids through, -1 in the open auction.
/// </summary>
public record struct Candidate(int ImpIndex, Campaign Campaign, Creative Creative, double FloorUsd, int DealIndex = -1)
{
    /// <summary>Predicted click probability; set by the scoring stage.</summary>
    public double Ctr { get; set; }

    /// <summary>The CPM this candidate would bid in USD; 0 when it cannot clear the floor.</summary>
    public double BidUsd { get; set; }
}
