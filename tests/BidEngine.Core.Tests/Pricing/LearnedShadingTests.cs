using BidEngine.Core.Campaigns;
using BidEngine.Core.Pricing;
using static BidEngine.Core.Tests.TestCampaigns;

namespace BidEngine.Core.Tests.Pricing;

public sealed class LearnedShadingTests
{
    private static readonly FirstPriceMarket Market = new(medianRatio: 0.6, sigma: 0.3);

    private static Campaign Named(string id) => Campaign(id, [Banner("b", 1, 1)]);

    private static PricingOptions Options(Action<ShadingOptions>? change = null)
    {
        var options = new PricingOptions();
        change?.Invoke(options.Shading);
        return options;
    }

    [Fact]
    public void BidsTheFixedFactorUntilACampaignHasEnoughOutcomes()
    {
        var campaign = Named("c");
        var shading = new LearnedShading(Options(o => o.MinObservations = 50));
        Assert.Equal(0.85, shading.FirstPriceFactor(campaign));

        // Everything the campaign has to beat is far below its bids: once learning, the factor drops.
        // With forgetting, 50 outcomes weigh a little under 50: learning starts on the 51st.
        var outcomes = 0;
        while (shading.LearnedFactor(campaign) is null)
        {
            Assert.Equal(0.85, shading.FirstPriceFactor(campaign));
            shading.ObserveWin(campaign, 1.7, 2.0, 0.2);
            outcomes++;
        }

        Assert.Equal(51, outcomes);
        Assert.Equal(0.85 - 0.002, shading.LearnedFactor(campaign)!.Value, 12);
        Assert.Equal(0.85 - 0.002, shading.FirstPriceFactor(campaign), 12);
    }

    [Theory]
    [InlineData(100)]   // below floor
    [InlineData(101)]   // below deal floor
    [InlineData(103)]   // lost to a deal
    [InlineData(104)]   // seat blocked
    [InlineData(1)]     // internal error
    [InlineData(2)]     // expired
    [InlineData(200)]   // creative filtered
    [InlineData(1001)]  // exchange-specific
    public void LossesForReasonsOtherThanPriceMoveNothing(int reason)
    {
        var campaign = Named("c");
        var shading = new LearnedShading(Options());
        ShadingSimulation.Run(Market, 3000, seed: 3, campaign, shading, minToWin: true);
        var factor = shading.LearnedFactor(campaign);
        var weight = shading.StateOf("c")!.Weight;

        for (var i = 0; i < 2000; i++)
        {
            shading.ObserveLoss(campaign, 1.3, 2.0, reason, minToWinCpm: i % 2 == 0 ? null : 5.0);
        }

        Assert.Equal(factor, shading.LearnedFactor(campaign));
        Assert.Equal(weight, shading.StateOf("c")!.Weight);
        Assert.Equal(2000, shading.Count(ShadingEvidence.NoPrice));

        // A campaign that only ever lost for such reasons gets no state at all.
        var other = Named("other");
        for (var i = 0; i < 500; i++)
        {
            shading.ObserveLoss(other, 1.3, 2.0, reason, 5.0);
        }

        Assert.Null(shading.StateOf("other"));
        Assert.Equal(0.85, shading.FirstPriceFactor(other));
    }

    [Fact]
    public void ContradictoryMinToWinIsReadAsAPlainWinOrLoss()
    {
        var campaign = Named("c");
        var shading = new LearnedShading(Options());
        shading.ObserveWin(campaign, 1.0, 2.0, minToWinCpm: 1.5);      // won, yet "needed" more than the bid
        shading.ObserveLoss(campaign, 1.0, 2.0, 102, minToWinCpm: 0.5); // lost, yet "needed" less
        shading.ObserveWin(campaign, 1.0, 2.0, minToWinCpm: double.NaN);
        shading.ObserveWin(campaign, 0, 2.0, 0.5);
        shading.ObserveLoss(campaign, 1.0, double.PositiveInfinity, 102, null);

        Assert.Equal(0, shading.Count(ShadingEvidence.Exact));
        Assert.Equal(2, shading.Count(ShadingEvidence.Win));
        Assert.Equal(1, shading.Count(ShadingEvidence.PriceLoss));
        Assert.Equal(2, shading.Count(ShadingEvidence.Dropped));
    }

    /// <summary>Two markets, one whose best factor is below the bounds and one above: the factor stops at each bound, and every step and every bid stays inside.</summary>
    [Theory]
    [InlineData(0.4, 0.3, 0.7)]    // best about 0.53: held at the lower bound
    [InlineData(0.85, 0.1, 0.8)]   // best about 0.87: held at the upper bound
    public void StaysWithinItsBoundsAndMovesAtMostOneStepPerOutcome(double median, double sigma, double bound)
    {
        var market = new FirstPriceMarket(median, sigma);
        var campaign = Named("c");
        var options = Options(o =>
        {
            o.MinFactor = 0.7;
            o.MaxFactor = 0.8;
            o.ExploreShare = 0.5;
            o.ExploreWidth = 0.5;
        });
        options.FirstPriceShading = 0.75;
        var shading = new LearnedShading(options);
        var random = new Random(5);
        var previous = 0.75;
        for (var i = 0; i < 10_000; i++)
        {
            var value = 2.0;
            var factor = shading.FirstPriceFactor(campaign);
            Assert.InRange(factor, 0.7, 0.8);
            var bid = value * factor;
            var toBeat = value * market.NextRatio(random);
            if (bid >= toBeat)
            {
                shading.ObserveWin(campaign, bid, value, i % 3 == 0 ? toBeat : null);
            }
            else
            {
                shading.ObserveLoss(campaign, bid, value, 102, i % 3 == 0 ? toBeat : null);
            }

            var learned = shading.LearnedFactor(campaign) ?? 0.75;
            Assert.True(Math.Abs(learned - previous) <= 0.002 + 1e-12, $"moved {learned - previous} on outcome {i}");
            Assert.InRange(learned, 0.7, 0.8);
            previous = learned;
        }

        Assert.Equal(bound, shading.LearnedFactor(campaign)!.Value, 9);
    }

    [Fact]
    public void WithLearningOffAlwaysBidsTheFixedFactor()
    {
        var campaign = Named("c");
        var shading = new LearnedShading(Options(o => o.Learn = false));
        ShadingSimulation.Run(Market, 2000, seed: 3, campaign, shading, minToWin: true);

        Assert.Equal(0.85, shading.FirstPriceFactor(campaign));
        Assert.Equal(0, shading.TrackedCampaigns);
    }

    [Fact]
    public void KeepsStateForAtMostMaxCampaigns()
    {
        var shading = new LearnedShading(Options(o => o.MaxCampaigns = 2));
        foreach (var id in new[] { "a", "b", "c", "a" })
        {
            shading.ObserveWin(Named(id), 1.7, 2.0, 1.0);
        }

        Assert.Equal(2, shading.TrackedCampaigns);
        Assert.Null(shading.StateOf("c"));
        Assert.Equal(1, shading.Count(ShadingEvidence.Dropped));
    }

    [Fact]
    public void DropsTheStateOfCampaignsAReloadRemovedAndKeepsTheRest()
    {
        var snapshot = Snapshot(Named("stays"), Named("goes"));
        var shading = new LearnedShading(Options(), () => snapshot);
        ShadingSimulation.Run(Market, 500, seed: 1, snapshot.Campaigns[0], shading, minToWin: true);
        ShadingSimulation.Run(Market, 500, seed: 2, snapshot.Campaigns[1], shading, minToWin: true);
        Assert.Equal(2, shading.TrackedCampaigns);
        var learned = shading.LearnedFactor(snapshot.Campaigns[0]);

        // The reload makes new campaign objects; the one kept is known by its id.
        snapshot = Snapshot(Named("stays"));
        var gone = Named("goes");
        shading.ObserveWin(gone, 1.7, 2.0, 1.0);

        Assert.Equal(1, shading.TrackedCampaigns);
        Assert.Null(shading.StateOf("goes"));
        Assert.Equal(learned, shading.LearnedFactor(snapshot.Campaigns[0]));
        Assert.Equal(0.85, shading.FirstPriceFactor(gone));
    }

    /// <summary>Eight threads bid and report outcomes for four campaigns at once: no outcome is lost and no factor leaves the bounds.</summary>
    [Fact]
    public void StaysConsistentUnderConcurrentNotices()
    {
        var campaigns = Enumerable.Range(0, 4).Select(i => Named("c" + i)).ToArray();
        var shading = new LearnedShading(Options(o => o.MinObservations = 20));
        const int Threads = 8;
        const int PerThread = 5000;
        var outOfBounds = 0;
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var random = new Random(t);
            start.SignalAndWait();
            for (var i = 0; i < PerThread; i++)
            {
                var campaign = campaigns[random.Next(campaigns.Length)];
                var factor = shading.FirstPriceFactor(campaign);
                if (factor is < 0.4 or > 0.95)
                {
                    Interlocked.Increment(ref outOfBounds);
                }

                var bid = 2.0 * factor;
                var toBeat = 2.0 * Market.NextRatio(random);
                double? minToWin = t % 2 == 0 ? toBeat : null;
                if (bid >= toBeat)
                {
                    shading.ObserveWin(campaign, bid, 2.0, minToWin);
                }
                else
                {
                    shading.ObserveLoss(campaign, bid, 2.0, 102, minToWin);
                }
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.Equal(0, outOfBounds);
        Assert.Equal(4, shading.TrackedCampaigns);
        Assert.Equal(
            Threads * PerThread,
            shading.Count(ShadingEvidence.Exact) + shading.Count(ShadingEvidence.Win) + shading.Count(ShadingEvidence.PriceLoss));
        var summary = shading.Summarize();
        Assert.Equal(4, summary.Learning);
        Assert.InRange(summary.MeanFactor, 0.4, 0.95);
        foreach (var campaign in campaigns)
        {
            Assert.InRange(shading.LearnedFactor(campaign)!.Value, 0.4, 0.95);
        }
    }

    [Fact]
    public void AsksAndLearnsWithoutAllocating()
    {
        var campaign = Named("c");
        var snapshot = Snapshot(campaign);
        var shading = new LearnedShading(Options(), () => snapshot);
        ShadingSimulation.Run(Market, 1000, seed: 1, campaign, shading, minToWin: false);
        var candidate = new Candidates.Candidate(0, campaign, campaign.Creatives[0], 0) { Ctr = 0.002 };
        var options = new PricingOptions();

        var sum = 0.0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            sum += shading.FirstPriceFactor(campaign);
            sum += BidPricer.PriceUsd(candidate, 1, options, shading);
        }

        shading.ObserveWin(campaign, 1.5, 2.0, 1.2);
        shading.ObserveWin(campaign, 1.5, 2.0, null);
        shading.ObserveLoss(campaign, 1.5, 2.0, 102, 1.7);
        shading.ObserveLoss(campaign, 1.5, 2.0, 102, null);
        shading.ObserveLoss(campaign, 1.5, 2.0, 100, null);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(sum > 0);
        Assert.Equal(0, allocated);
    }
}
