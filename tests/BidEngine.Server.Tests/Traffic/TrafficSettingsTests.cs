namespace BidEngine.Server.Tests.Traffic;

/// <summary>The Traffic and Supply settings are bound strictly and checked at start: a bad one stops the start, naming it.</summary>
public sealed class TrafficSettingsTests
{
    [Theory]
    [InlineData("--BidEngine:Traffic:KnownBot=On", "KnownBot")]
    [InlineData("--BidEngine:Traffic:KnownBots=Maybe", "BidEngine:Traffic:KnownBots cannot be 'Maybe': it must be one of Off, ReportOnly, On")]
    [InlineData("--BidEngine:Supply:WhenAdsTxtMissing=Refuse", "BidEngine:Supply:WhenAdsTxtMissing cannot be 'Refuse': it must be one of Bid, NoBid")]
    [InlineData("--BidEngine:Supply:Policy:MaxHop=2", "MaxHop")]
    [InlineData("--BidEngine:Supply:Policy:MaxHops=40", "BidEngine:Supply:Policy:MaxHops must be 0 (no limit) or from 1 to 16")]
    [InlineData("--BidEngine:Exchanges:exchx:SupplyChain:MaxHops=-1", "BidEngine:Exchanges:exchx:SupplyChain:MaxHops")]
    [InlineData("--BidEngine:Exchanges:exchx:Domain=not a domain", "BidEngine:Exchanges:exchx:Domain")]
    [InlineData("--BidEngine:Traffic:RateSketchWidth=1000", "BidEngine:Traffic:RateSketchWidth must be a power of two")]
    [InlineData("--BidEngine:Traffic:RateWindowSeconds=0", "BidEngine:Traffic:RateWindowSeconds")]
    [InlineData("--BidEngine:Traffic:MaxRequestsPerIp=0", "BidEngine:Traffic:MaxRequestsPerIp")]
    [InlineData("--BidEngine:EventLog:SampleTrafficRefusals=2", "BidEngine:EventLog:SampleTrafficRefusals")]
    public async Task ABadSettingStopsTheStartNamingIt(string setting, string named)
    {
        var error = await BidderHost.StartFailsAsync(setting);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AListThatIsMissingOrDoesNotLoadStopsTheStartNamingItAndItsLine()
    {
        var folder = Directory.CreateTempSubdirectory("bidengine-traffic-files-");
        try
        {
            var bad = Path.Combine(folder.FullName, "dc.txt");
            await File.WriteAllTextAsync(bad, "# ranges\n198.51.100.0/24\n198.51.100.0/99\n");
            var error = await BidderHost.StartFailsAsync("--BidEngine:Traffic:DataCentres=On", "--BidEngine:Traffic:DataCentresPath=" + bad);
            Assert.Contains("dc.txt: line 3", error.Message, StringComparison.Ordinal);

            error = await BidderHost.StartFailsAsync("--BidEngine:Traffic:KnownBots=On", "--BidEngine:Traffic:KnownBotsPath=" + Path.Combine(folder.FullName, "none.json"));
            Assert.Contains("BidEngine:Traffic:KnownBotsPath", error.Message, StringComparison.Ordinal);

            Directory.CreateDirectory(Path.Combine(folder.FullName, "supply", "sellers"));
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "supply", "sellers", "x.example.json"), "[]");
            error = await BidderHost.StartFailsAsync("--BidEngine:Supply:Sellers=On", "--BidEngine:Supply:Folder=" + Path.Combine(folder.FullName, "supply"));
            Assert.Contains("x.example.json", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
