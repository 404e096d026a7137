using Microsoft.Extensions.Options;

namespace BidEngine.Server.Tests;

/// <summary>A bad setting stops the start with a message naming it.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("--BidEngine:Http:MaxBodyBytes=10", "BidEngine:Http:MaxBodyBytes")]
    [InlineData("--BidEngine:Deadline:NetworkReserveMs=500", "BidEngine:Deadline:NetworkReserveMs")]
    [InlineData("--BidEngine:Pricing:FirstPriceShading=1.5", "BidEngine:Pricing:FirstPriceShading")]
    [InlineData("--BidEngine:Currency:UsdPerUnit:EUR=-1", "BidEngine:Currency:UsdPerUnit:EUR")]
    [InlineData("--BidEngine:Notices:BaseUrl=bidder.example.com", "BidEngine:Notices:BaseUrl")]
    [InlineData("--BidEngine:Notices:BaseUrl=https://bidder.example.com/?x=1", "BidEngine:Notices:BaseUrl")]
    [InlineData("--BidEngine:Notices:RefreshSeconds=0", "BidEngine:Notices:RefreshSeconds")]
    [InlineData("--BidEngine:Notices:PriorStrengthImpressions=0", "BidEngine:Notices:PriorStrengthImpressions")]
    [InlineData("--BidEngine:Notices:SavePath=/no/such/folder/priors.json", "BidEngine:Notices:SavePath")]
    public async Task RefusesToStartWithABadSettingAndNamesIt(string setting, string name)
    {
        var host = BidderHost.With(setting);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(host.InitializeAsync);
        Assert.Contains(name, error.Message);
        await host.DisposeAsync();
    }
}
