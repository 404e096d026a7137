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
    public async Task RefusesToStartWithABadSettingAndNamesIt(string setting, string name)
    {
        var host = BidderHost.With(setting);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(host.InitializeAsync);
        Assert.Contains(name, error.Message);
        await host.DisposeAsync();
    }
}
