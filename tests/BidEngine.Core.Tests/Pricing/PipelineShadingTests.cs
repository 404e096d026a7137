using BidEngine.Core.Deadlines;
using BidEngine.Core.Pipeline;
using BidEngine.Core.Pricing;
using BidEngine.OpenRtb.Parsing;
using static BidEngine.Core.Tests.TestCampaigns;

namespace BidEngine.Core.Tests.Pricing;

/// <summary>The pipeline prices first-price bids with the campaign's learned factor, and second-price bids as before.</summary>
public sealed class PipelineShadingTests
{
    // The campaign's prior CTR 0.002 × 1.00 per click: an expected 2.00 CPM.
    private static readonly Campaigns.Campaign Shaded = Campaign("shaded", [Banner("b", 300, 250)], valuePerClick: 1.0, maxBidCpm: 10, ctrPrior: 0.002);

    private static double Price(int auctionType, IBidShading? shading)
    {
        var snapshot = Snapshot(Shaded);
        var pipeline = new BidPipeline(() => snapshot, null, new PricingOptions(), new PipelineOptions(), new DeadlinePolicy(new DeadlineOptions()), shading: shading);
        var context = new BidContext();
        var request = "{\"id\":\"r1\",\"at\":" + auctionType + ""","imp":[{"id":"1","banner":{"w":300,"h":250}}],"device":{"devicetype":4,"geo":{"country":"USA"}}}""";
        Assert.True(BidRequestParser.Parse(System.Text.Encoding.UTF8.GetBytes(request), context.Request).IsSuccess);
        context.Deadline = RequestDeadline.None;
        var decided = pipeline.DecideAsync(context);
        Assert.True(decided.IsCompletedSuccessfully);
        Assert.Equal(1, context.Response.Bids.Count);
        return context.Response.Bids[0].Price;
    }

    [Fact]
    public void FirstPriceBidsUseTheLearnedFactor()
    {
        var shading = new LearnedShading(new PricingOptions());

        // 1,000 exact thresholds at 0.5 of the value: the factor walks down from 0.85 by 0.002 an outcome.
        for (var i = 0; i < 1000; i++)
        {
            shading.ObserveWin(Shaded, 1.7, 2.0, 1.0);
        }

        var factor = shading.LearnedFactor(Shaded)!.Value;
        Assert.True(factor < 0.85);
        Assert.Equal(Math.Round(2.0 * factor, 4), Price(auctionType: 1, shading), 9);
        Assert.Equal(2.0, Price(auctionType: 2, shading), 9);
        Assert.Equal(1.7, Price(auctionType: 1, shading: null), 9);
    }
}
