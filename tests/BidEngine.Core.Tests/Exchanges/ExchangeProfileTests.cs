using BidEngine.Core.Exchanges;

namespace BidEngine.Core.Tests.Exchanges;

public sealed class ExchangeProfileTests
{
    [Fact]
    public void AcceptsTheDefaults() => Assert.Empty(new ExchangeProfile().Validate("prebid"));

    [Theory]
    [InlineData("Prebid")]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("-lead")]
    [InlineData("much-too-long-a-name-for-a-path-and-a-label")]
    public void RefusesNamesThatCannotBeAPathOrALabel(string name) =>
        Assert.Contains(new ExchangeProfile().Validate(name), e => e.Contains("lower-case letters", StringComparison.Ordinal));

    [Fact]
    public void RefusesADefaultTmaxAboveTheMaximumNamingBoth()
    {
        var error = Assert.Single(new ExchangeProfile { DefaultTmaxMs = 300, MaxTmaxMs = 200 }.Validate("x"));
        Assert.Contains("BidEngine:Exchanges:x:DefaultTmaxMs", error);
        Assert.Contains("BidEngine:Exchanges:x:MaxTmaxMs", error);
    }

    [Theory]
    [InlineData(nameof(ExchangeProfile.MaxResponseBytes), 100)]
    [InlineData(nameof(ExchangeProfile.NetworkReserveMs), -2)]
    [InlineData(nameof(ExchangeProfile.DefaultTmaxMs), -1)]
    public void RefusesOutOfRangeSettingsNamingThem(string setting, int value)
    {
        var profile = new ExchangeProfile();
        typeof(ExchangeProfile).GetProperty(setting)!.SetValue(profile, value);
        Assert.StartsWith($"BidEngine:Exchanges:x:{setting} ", Assert.Single(profile.Validate("x")));
    }

    [Fact]
    public void RefusesACurrencyThatIsNotACode() =>
        Assert.Contains("Currency", Assert.Single(new ExchangeProfile { Currency = "usd" }.Validate("x")));

    [Fact]
    public void PassesItsHealthSettingsErrorsOnUnderItsOwnName() =>
        Assert.StartsWith("BidEngine:Exchanges:x:Health:TripShare ", Assert.Single(new ExchangeProfile { Health = new ExchangeHealthOptions { TripShare = 2 } }.Validate("x")));
}
