using BidEngine.Core.Candidates;

namespace BidEngine.Core.Pricing;

/// <summary>Turns a candidate's click probability into a CPM: pCTR × value per click × 1000, shaded and capped.</summary>
public static class BidPricer
{
    /// <summary>What an impression is worth to the campaign before shading, CPM in USD: pCTR × value per click × 1000.</summary>
    public static double ExpectedCpmUsd(in Candidate candidate) => candidate.Ctr * candidate.Campaign.ValuePerClick * 1000.0;

    /// <summary>
    /// The CPM in USD to bid, or 0 when the candidate should not bid (under the floor or the minimum).
    /// First price (at = 1) takes the campaign's factor from <paramref name="shading"/> (the fixed
    /// <see cref="PricingOptions.FirstPriceShading"/> when null); any other auction type bids
    /// <see cref="PricingOptions.SecondPriceShading"/>.
    /// </summary>
    public static double PriceUsd(in Candidate candidate, int auctionType, PricingOptions options, IBidShading? shading = null)
    {
        var campaign = candidate.Campaign;
        var expectedCpm = ExpectedCpmUsd(candidate);
        var factor = auctionType != 1 ? options.SecondPriceShading
            : shading is null ? options.FirstPriceShading
            : shading.FirstPriceFactor(campaign);
        var bid = Math.Min(expectedCpm * factor, campaign.MaxBidCpm);
        return bid >= candidate.FloorUsd && bid >= options.MinBidCpm && double.IsFinite(bid) ? bid : 0;
    }
}
