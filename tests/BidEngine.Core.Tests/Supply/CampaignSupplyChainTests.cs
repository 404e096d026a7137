using System.Text;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Candidates;
using BidEngine.Core.Eligibility;
using BidEngine.Core.Supply;
using BidEngine.Core.Time;
using static BidEngine.Core.Tests.Supply.SupplyChecksTests;
using static BidEngine.Tests.Shared.TrafficFixtures;

namespace BidEngine.Core.Tests.Supply;

/// <summary>A campaign's own <c>supplyChain</c> in the campaign file: read strictly, applied to its candidates, counted as skips.</summary>
public sealed class CampaignSupplyChainTests
{
    private static IReadOnlyList<Campaign> Load(string supplyChain) => CampaignLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes(
        """{"campaigns":[{"id":"open","valuePerClick":1,"maxBidCpm":5,"ctrPrior":0.01,"creatives":[{"id":"a","kind":"banner","w":300,"h":250,"adm":"x"}]},"""
        + """{"id":"strict","valuePerClick":1,"maxBidCpm":5,"ctrPrior":0.01,"creatives":[{"id":"b","kind":"banner","w":300,"h":250,"adm":"x"}]""" + supplyChain + "}]}")), "campaigns.json");

    [Fact]
    public void ReadsThePolicyAndRefusesAMisspeltOrBadField()
    {
        var strict = Load(""","supplyChain":{"requireComplete":true,"maxHops":2,"directOnly":false}""")[1].Rules.SupplyChain!;
        Assert.True(strict.RequireComplete);
        Assert.Equal(2, strict.MaxHops);
        Assert.Null(Load(""","supplyChain":{}""")[1].Rules.SupplyChain);
        Assert.Contains("supplyChain.maxHop", Assert.Throws<InvalidDataException>(() => Load(""","supplyChain":{"maxHop":2}""")).Message, StringComparison.Ordinal);
        Assert.Contains("supplyChain.maxHops must be a whole number from 1 to 16", Assert.Throws<InvalidDataException>(() => Load(""","supplyChain":{"maxHops":0}""")).Message, StringComparison.Ordinal);
        Assert.Contains("supplyChain.directOnly must be true or false", Assert.Throws<InvalidDataException>(() => Load(""","supplyChain":{"directOnly":1}""")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACampaignBidsOnlyOnChainsItsPolicyTakesAndItsRefusalsAreCountedAsSkips()
    {
        var snapshot = new CampaignSnapshot(Load(""","supplyChain":{"directOnly":true}"""), TestCampaigns.Currencies);
        var gate = new CampaignGate(SystemClock.Instance);
        var candidates = new List<Candidate>();

        CandidateFinder.Find(Parse(Request(schain: DirectChain)), snapshot, candidates, 10, gate);
        Assert.Equal(["open", "strict"], candidates.Select(c => c.Campaign.Id).Order(StringComparer.Ordinal));

        candidates.Clear();
        CandidateFinder.Find(Parse(Request(schain: ResoldChain)), snapshot, candidates, 10, gate);
        Assert.Equal(["open"], candidates.Select(c => c.Campaign.Id));

        candidates.Clear();
        CandidateFinder.Find(Parse(Request(schain: null)), snapshot, candidates, 10, gate);
        Assert.Equal(["open"], candidates.Select(c => c.Campaign.Id));
        Assert.Equal(2, gate.SkippedCount(SkipReason.SupplyChain));
    }
}
