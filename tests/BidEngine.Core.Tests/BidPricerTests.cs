using BidEngine.Core.Candidates;
using BidEngine.Core.Pricing;
using static BidEngine.Core.Tests.TestCampaigns;

namespace BidEngine.Core.Tests;

public sealed class BidPricerTests
{
    private static readonly PricingOptions Options = new() { FirstPriceShading = 0.8, SecondPriceShading = 1.0, MinBidCpm = 0.05 };

    private static Candidate With(double ctr, double floor = 0, double valuePerClick = 2.0, double max = 10.0) =>
        new(0, Campaign("c", [Banner("b", 1, 1)], valuePerClick: valuePerClick, maxBidCpm: max), Banner("b", 1, 1), floor) { Ctr = ctr };

    [Fact]
    public void PricesAtCtrTimesValuePerClickTimesAThousand() =>
        Assert.Equal(4.0, BidPricer.PriceUsd(With(0.002), auctionType: 2, Options), 9);

    [Fact]
    public void ShadesFirstPriceBids() =>
        Assert.Equal(3.2, BidPricer.PriceUsd(With(0.002), auctionType: 1, Options), 9);

    [Fact]
    public void TakesTheFirstPriceFactorFromTheShadingAndLeavesSecondPriceAlone()
    {
        var shading = new HalfShading();
        Assert.Equal(2.0, BidPricer.PriceUsd(With(0.002), auctionType: 1, Options, shading), 9);
        Assert.Equal(4.0, BidPricer.PriceUsd(With(0.002), auctionType: 2, Options, shading), 9);
        Assert.Equal(1, shading.Asked);
    }

    [Fact]
    public void CapsAtTheCampaignMaximum() =>
        Assert.Equal(10.0, BidPricer.PriceUsd(With(0.5), auctionType: 2, Options), 9);

    [Fact]
    public void DoesNotBidUnderTheFloorOrTheMinimum()
    {
        Assert.Equal(0, BidPricer.PriceUsd(With(0.002, floor: 4.01), 2, Options));
        Assert.Equal(4.0, BidPricer.PriceUsd(With(0.002, floor: 4.0), 2, Options), 9);
        Assert.Equal(0, BidPricer.PriceUsd(With(0.00001), 2, Options));
    }

    /// <summary>Bids half the value at first price and counts how often it was asked.</summary>
    private sealed class HalfShading : IBidShading
    {
        public int Asked { get; private set; }

        public double FirstPriceFactor(Campaigns.Campaign campaign)
        {
            Asked++;
            return 0.5;
        }

        public void ObserveWin(Campaigns.Campaign campaign, double bidCpm, double valueCpm, double? minToWinCpm) => throw new NotSupportedException();

        public void ObserveLoss(Campaigns.Campaign campaign, double bidCpm, double valueCpm, int lossReason, double? minToWinCpm) => throw new NotSupportedException();
    }
}
