using BidEngine.Core.Campaigns;

namespace BidEngine.Core.Pricing;

/// <summary>
/// First-price bid shading learned from auction outcomes. The pricer asks it for a campaign's
/// factor (the share of the expected value to bid); the notice endpoints tell it what happened to
/// each first-price bid once the notice's token has been verified. Second-price bids never reach it.
/// All prices are CPM in the bid's currency; only their ratios matter, so the currency does not.
/// </summary>
public interface IBidShading
{
    /// <summary>The share of <paramref name="campaign"/>'s expected value to bid in a first-price auction, in (0, 1].</summary>
    double FirstPriceFactor(Campaign campaign);

    /// <summary>
    /// A first-price bid of <paramref name="bidCpm"/>, made for an expected value of
    /// <paramref name="valueCpm"/>, won. <paramref name="minToWinCpm"/> is the exchange's
    /// <c>${AUCTION_MIN_TO_WIN}</c> when it sent one.
    /// </summary>
    void ObserveWin(Campaign campaign, double bidCpm, double valueCpm, double? minToWinCpm);

    /// <summary>
    /// A first-price bid of <paramref name="bidCpm"/>, made for an expected value of
    /// <paramref name="valueCpm"/>, lost with OpenRTB loss reason <paramref name="lossReason"/>
    /// (<c>${AUCTION_LOSS}</c>; 102 "lost to higher bid" is the one that says something about price).
    /// <paramref name="minToWinCpm"/> is the exchange's <c>${AUCTION_MIN_TO_WIN}</c> when it sent one.
    /// </summary>
    void ObserveLoss(Campaign campaign, double bidCpm, double valueCpm, int lossReason, double? minToWinCpm);
}
