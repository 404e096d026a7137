using System.Text.Json;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Candidates;
using BidEngine.Training.Campaigns;

namespace BidEngine.Training.Tests.Campaigns;

public sealed class CampaignFileGeneratorTests
{
    private static readonly byte[] Thousand = CampaignFileGenerator.Generate(1000, seed: 7);

    [Fact]
    public void AThousandGeneratedCampaignsLoadWithBothReaders()
    {
        var campaigns = CampaignLoader.Load(new MemoryStream(Thousand), "generated");
        var rules = CampaignRulesReader.ReadFile(new MemoryStream(Thousand), "generated");

        Assert.Equal(1000, campaigns.Count);
        Assert.Equal(1000, rules.Count);
        Assert.All(campaigns, c => Assert.True(rules.ContainsKey(c.Id)));
    }

    [Fact]
    public void TheCountIsExactAtEverySize()
    {
        foreach (var count in new[] { 0, 1, 3, 250 })
        {
            Assert.Equal(count, CampaignLoader.Load(new MemoryStream(CampaignFileGenerator.Generate(count, seed: count))).Count);
        }
    }

    [Fact]
    public void TheSameSeedWritesTheSameBytesAndAnotherSeedDoesNot()
    {
        Assert.Equal(Thousand, CampaignFileGenerator.Generate(1000, seed: 7));
        Assert.NotEqual(Thousand, CampaignFileGenerator.Generate(1000, seed: 8));
    }

    [Fact]
    public void TheFileIsValidAgainstTheShippedSchema()
    {
        using var document = JsonDocument.Parse(Thousand);

        Assert.Empty(SchemaCheck.Problems(document.RootElement));
    }

    [Fact]
    public void TheSchemaCheckCatchesABadFile()
    {
        using var document = JsonDocument.Parse("""{"campaigns": [{"id": "x", "valuePerClick": 0, "maxBidCpm": 5, "pacing": "fast", "creatives": [{"id": "c", "kind": "banner", "adm": "a"}], "budget": {"weekly": 1}}]}""");

        var problems = SchemaCheck.Problems(document.RootElement);

        Assert.Contains("$.campaigns[0]: ctrPrior is required", problems);
        Assert.Contains("$.campaigns[0].valuePerClick: 0 is out of range", problems);
        Assert.Contains(problems, p => p.StartsWith("$.campaigns[0].pacing:", StringComparison.Ordinal));
        Assert.Contains("$.campaigns[0].budget.weekly: not declared", problems);
    }

    [Fact]
    public void TheMixHasEveryKindSizeAndSpendingField()
    {
        var campaigns = CampaignLoader.Load(new MemoryStream(Thousand));
        var rules = CampaignRulesReader.ReadFile(new MemoryStream(Thousand)).Values.ToList();
        var slots = campaigns.SelectMany(c => c.Creatives).Select(c => c.Kind == CreativeKind.Banner ? $"{c.W}x{c.H}" : c.Kind.ToString()).ToHashSet();

        Assert.Equal(["160x600", "300x250", "300x600", "320x480", "320x50", "728x90", "Audio", "Native", "Video"], slots.Order(StringComparer.Ordinal));
        Assert.InRange(rules.Count(r => r.Budget.Daily is not null), 700, 900);
        Assert.InRange(rules.Count(r => r.Targeting.Deals.Count > 0), 150, 350);
        Assert.InRange(rules.Count(r => r.FrequencyCap is not null), 300, 500);
        Assert.InRange(rules.Count(r => r.Pacing == PacingMode.Asap), 120, 280);
        Assert.InRange(rules.Count(r => r.Flight != Flight.Always), 250, 400);
        Assert.InRange(rules.Count(r => r.Dayparting is not null), 100, 200);
        Assert.InRange(rules.Count(r => r.TimeZone != TimeZoneInfo.Utc), 10, 600);
        Assert.InRange(rules.Count(r => r.Targeting.Block.Countries.Count + r.Targeting.Block.DeviceTypes.Count + r.Targeting.Block.Categories.Count > 0), 100, 400);
    }

    [Fact]
    public void ATypicalRequestMatchesAHandful()
    {
        var campaigns = CampaignLoader.Load(new MemoryStream(Thousand));
        var rules = CampaignRulesReader.ReadFile(new MemoryStream(Thousand));
        var index = CampaignLoadMeasurement.BuildIndex(campaigns, rules);
        var found = new int[1000];

        var usPhone = index.FindOpen(IndexQuery.Banner(300, 250, CampaignIndex.CountryKey("USA"), 4), found);
        var dePc = index.FindOpen(IndexQuery.Banner(728, 90, CampaignIndex.CountryKey("DEU"), 2), found);

        Assert.InRange(usPhone, 1, 12);
        Assert.InRange(dePc, 1, 12);
    }
}
