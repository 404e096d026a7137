using BidEngine.Core.Campaigns;
using BidEngine.Core.Pricing;

namespace BidEngine.Core.Tests.Pricing;

/// <summary>
/// Runs a campaign through simulated first-price auctions: each has a value (log-normal around 2.00
/// CPM) and a price to beat from the market; the bid is the value times the factor the shading
/// gives (or a fixed one), and each outcome is told back as a notice would, with the min-to-win or
/// without it. Seeded: the same seed gives the same auctions to every bidder compared.
/// </summary>
internal static class ShadingSimulation
{
    /// <param name="Values">The values of all auctions summed: the best factor's expected surplus is this times (1 − s*)·F(s*).</param>
    public readonly record struct Outcome(double Surplus, int Wins, double MeanFactor, double Values);

    /// <param name="shading">Null: bid <paramref name="fixedFactor"/> and tell nobody.</param>
    public static Outcome Run(
        FirstPriceMarket market, int auctions, int seed, Campaign campaign, LearnedShading? shading, bool minToWin, double fixedFactor = 0.85)
    {
        var random = new Random(seed);
        var surplus = 0.0;
        var wins = 0;
        var factors = 0.0;
        var values = 0.0;
        for (var i = 0; i < auctions; i++)
        {
            var value = 2.0 * Math.Exp(0.3 * FirstPriceMarket.Gaussian(random));
            var toBeat = value * market.NextRatio(random);
            values += value;
            var factor = shading?.FirstPriceFactor(campaign) ?? fixedFactor;
            var bid = value * factor;
            factors += factor;
            if (bid >= toBeat)
            {
                wins++;
                surplus += value - bid;
                shading?.ObserveWin(campaign, bid, value, minToWin ? toBeat : null);
            }
            else
            {
                shading?.ObserveLoss(campaign, bid, value, LearnedShading.LostToHigherBid, minToWin ? toBeat : null);
            }
        }

        return new Outcome(surplus, wins, factors / auctions, values);
    }
}
