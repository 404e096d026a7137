using System.Text;
using System.Text.Json;
using BidEngine.Core.Budgets;
using BidEngine.Core.Campaigns;

namespace BidEngine.Core.Tests.CampaignFile;

public sealed class CampaignRulesReaderTests
{
    private const string Full = """
        {"campaigns": [{
          "id": "cmp-full", "valuePerClick": 1, "maxBidCpm": 5, "ctrPrior": 0.01,
          "creatives": [{"id": "c", "kind": "banner", "w": 300, "h": 250, "adm": "<img>"}],
          "currency": "EUR",
          "budget": {"total": 5000, "daily": 250.125},
          "pacing": "asap",
          "frequencyCap": {"impressions": 3, "windowSeconds": 86400, "unknownUsers": "skip"},
          "flight": {"start": "2026-12-01T00:00:00Z", "end": "2027-01-01T00:00:00+01:00"},
          "dayparting": {"mon": [9, 10, 11], "sat": []},
          "timeZone": "Europe/Berlin",
          "targeting": {
            "countries": ["deu", "AUT"], "regions": ["USA-CA"], "deviceTypes": [2], "os": ["windows"],
            "siteDomains": ["news.example"], "appBundles": ["com.example.app"], "publisherIds": ["pub-1"], "categories": ["IAB19"],
            "deals": [{"id": "deal-1", "bidFloor": 2.5, "wseat": ["bidengine"]}, {"id": "deal-2"}],
            "block": {"countries": ["FRA"], "siteDomains": ["bad.example"], "deals": ["deal-9"]}
          }
        }, {
          "id": "cmp-plain", "valuePerClick": 1, "maxBidCpm": 5, "ctrPrior": 0.01,
          "creatives": [{"id": "c", "kind": "native", "adm": "{}"}],
          "targeting": {"countries": [], "deviceTypes": [], "os": []}
        }]}
        """;

    private static IReadOnlyDictionary<string, CampaignRules> Read(string json) =>
        CampaignRulesReader.ReadFile(new MemoryStream(Encoding.UTF8.GetBytes(json)), "campaigns.json");

    [Fact]
    public void ReadsEveryNewField()
    {
        var rules = Read(Full)["cmp-full"];
        Assert.Equal("EUR", rules.Currency);
        Assert.Equal(new CampaignBudget(5000m, 250.125m), rules.Budget);
        Assert.Equal(Money.FromUnits(250.125m), rules.Budget.ToLimits(rules.TimeZone).DailyNanos);
        Assert.Equal(PacingMode.Asap, rules.Pacing);
        Assert.Equal(new FrequencyCap(3, 86_400, UnknownUserPolicy.Skip), rules.FrequencyCap);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), rules.Flight.Start);
        Assert.Equal(new DateTimeOffset(2026, 12, 31, 23, 0, 0, TimeSpan.Zero), rules.Flight.End);
        Assert.Equal("Europe/Berlin", rules.TimeZone.Id);
        Assert.Equal(3, rules.Dayparting!.HoursOn);
        Assert.True(rules.Dayparting.IsOn(DayOfWeek.Monday, 10));
        Assert.False(rules.Dayparting.IsOn(DayOfWeek.Monday, 12));
        // Monday 1 June 2026, 08:30 UTC is 10:30 in Berlin (CEST): on. 12:30 UTC is 14:30: off.
        Assert.True(rules.Dayparting.IsOn(new DateTimeOffset(2026, 6, 1, 8, 30, 0, TimeSpan.Zero), rules.TimeZone));
        Assert.False(rules.Dayparting.IsOn(new DateTimeOffset(2026, 6, 1, 12, 30, 0, TimeSpan.Zero), rules.TimeZone));
        var t = rules.Targeting;
        Assert.Equal(["DEU", "AUT"], t.Allow.Countries);
        Assert.Equal(["USA-CA"], t.Allow.Regions);
        Assert.Equal([2], t.Allow.DeviceTypes);
        Assert.Equal(["pub-1"], t.Allow.PublisherIds);
        Assert.Equal(["IAB19"], t.Allow.Categories);
        Assert.Equal(["FRA"], t.Block.Countries);
        Assert.Equal(["bad.example"], t.Block.SiteDomains);
        Assert.Equal(["deal-9"], t.BlockedDeals);
        Assert.Equal("deal-1", t.Deals[0].Id);
        Assert.Equal(2.5m, t.Deals[0].BidFloor);
        Assert.Equal(["bidengine"], t.Deals[0].Wseat);
        Assert.Null(t.Deals[1].BidFloor);
    }

    [Fact]
    public void ACampaignWithoutTheNewFieldsGetsTheDefaults()
    {
        var rules = Read(Full)["cmp-plain"];
        Assert.Equal("USD", rules.Currency);
        Assert.Equal(CampaignBudget.Unlimited, rules.Budget);
        Assert.Equal(PacingMode.Even, rules.Pacing);
        Assert.Null(rules.FrequencyCap);
        Assert.Null(rules.Dayparting);
        Assert.True(rules.Flight.IsOn(DateTimeOffset.UnixEpoch));
        Assert.Equal(TimeZoneInfo.Utc.Id, rules.TimeZone.Id);
        Assert.Empty(rules.Targeting.Deals);
    }

    [Fact]
    public void ReadsTheShippedCampaignFile()
    {
        var rules = CampaignRulesReader.ReadFile(File.OpenRead(SchemaTests.ConfigFile("campaigns.json")), "campaigns.json");
        Assert.Equal(5, rules.Count);
        Assert.Equal(["USA", "CAN", "GBR"], rules["cmp-globex-mobile"].Targeting.Allow.Countries);
        Assert.Equal([1, 4, 5], rules["cmp-globex-mobile"].Targeting.Allow.DeviceTypes);
    }

    [Theory]
    [InlineData("\"budget\": {\"daily\": -5}", "budget.daily must be a positive number")]
    [InlineData("\"budget\": {\"total\": \"5000\"}", "budget.total must be a positive number")]
    [InlineData("\"budget\": {\"dialy\": 5}", "budget.dialy is not a known field")]
    [InlineData("\"budget\": {\"total\": 2000000000}", "budget.total must be a positive number up to")]
    [InlineData("\"currency\": \"usd\"", "currency must be a three-letter ISO 4217 code")]
    [InlineData("\"pacing\": \"fast\"", "pacing must be \"even\" or \"asap\"")]
    [InlineData("\"frequencyCap\": {\"windowSeconds\": 60}", "frequencyCap.impressions is required")]
    [InlineData("\"frequencyCap\": {\"impressions\": 300, \"windowSeconds\": 60}", "frequencyCap.impressions must be a whole number from 1 to 255")]
    [InlineData("\"frequencyCap\": {\"impressions\": 3, \"windowSeconds\": 60, \"unknownUsers\": \"maybe\"}", "frequencyCap.unknownUsers must be")]
    [InlineData("\"flight\": {\"start\": \"2026-12-01T00:00:00\"}", "flight.start must be an ISO 8601 date-time with an offset")]
    [InlineData("\"flight\": {\"start\": \"2027-01-01T00:00:00Z\", \"end\": \"2026-12-01T00:00:00Z\"}", "flight.end must be after flight.start")]
    [InlineData("\"dayparting\": {\"mon\": [24]}", "dayparting.mon[0] must be a whole number from 0 to 23")]
    [InlineData("\"dayparting\": {\"monday\": [1]}", "dayparting.monday is not a known field")]
    [InlineData("\"timeZone\": \"Mars/Olympus\"", "timeZone must be an IANA time zone")]
    [InlineData("\"targeting\": {\"countries\": [\"US\"]}", "targeting.countries[0] must be an ISO 3166-1 alpha-3 code")]
    [InlineData("\"targeting\": {\"deviceTypes\": [9]}", "targeting.deviceTypes[0] must be a whole number from 1 to 7")]
    [InlineData("\"targeting\": {\"block\": {\"countriez\": []}}", "targeting.block.countriez is not a known field")]
    [InlineData("\"targeting\": {\"categories\": [\"sports\"]}", "targeting.categories[0] must be an IAB content category")]
    [InlineData("\"targeting\": {\"deals\": [{\"id\": \"d\"}, {\"id\": \"d\"}]}", "targeting.deals[1].id must be a unique")]
    [InlineData("\"targeting\": {\"deals\": [{\"id\": \"d\", \"bidFloor\": -1}]}", "targeting.deals[0].bidFloor must be a CPM")]
    public void ErrorsNameTheCampaignAndTheField(string field, string expected)
    {
        var json = "{\"campaigns\": [{\"id\": \"cmp-ok\"}, {\"id\": \"cmp-bad\", " + field + "}]}";
        var error = Assert.Throws<InvalidDataException>(() => Read(json));
        Assert.StartsWith("campaigns.json: campaign 'cmp-bad': ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadsOneCampaignObjectForALoaderThatParsedTheFileItself()
    {
        using var document = JsonDocument.Parse("{\"id\": \"x\", \"budget\": {\"daily\": 10}}");
        var rules = CampaignRulesReader.Read(document.RootElement, "x", "file.json");
        Assert.Equal(10m, rules.Budget.Daily);
        var error = Assert.Throws<InvalidDataException>(() => CampaignRulesReader.Read(JsonDocument.Parse("{\"pacing\": 1}").RootElement, "y", "file.json"));
        Assert.Equal("file.json: campaign 'y': pacing must be a string (found a number)", error.Message);
    }
}
