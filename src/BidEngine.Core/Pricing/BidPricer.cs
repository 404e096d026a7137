using BidEngine.Core.Candidates;

namespace BidEngine.Core.Pricing;

/// <summary>Turns a candidate's click probability into a CPM: pCTR × value per click × 1000, shaded and capped.</summary>
public static class BidPricer
{
    /// <summary>The CPM in USD to bid, or 0 when the candidate should not bid (under the floor or the minimum).</summary>
    public static double PriceUsd(in Candidate candidate, int auctionType, PricingOptions options)
    {
        var campaign = candidate.Campaign;
        var expectedCpm = candidate.Ctr * campaign.ValuePerClick * 1000.0;
        var shading = auctionType == 1 ? options.FirstPriceShading : options.SecondPriceShading;
        var bid = Math.Min(expectedCpm * shading, campaign.MaxBidCpm);
        return bid >= candidate.FloorUsd && bid >= options.MinBidCpm && double.IsFinite(bid) ? bid : 0;
    }
}
