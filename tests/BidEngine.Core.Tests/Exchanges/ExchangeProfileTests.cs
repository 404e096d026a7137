using BidEngine.Core.Exchanges;

namespace BidEngine.Core.Tests.Exchanges;

public sealed class ExchangeProfileTests
{
    private const string ExampleEncryptionKey = "skU7Ax_NL5pPAFyKdkfZjZz2-VhIN8bjj1rVFOaJ_5o=";
    private const string ExampleIntegrityKey = "arO23ykdNqUQ5LEoQ0FVmPkBd7xB5CO89PDZlSjpFxo=";

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
    public void NeedsBothKeysForEncryptedPrices()
    {
        var error = Assert.Single(new ExchangeProfile { PriceMacro = PriceMacroEncoding.Encrypted, PriceEncryptionKey = ExampleEncryptionKey }.Validate("x"));
        Assert.Contains("PriceIntegrityKey", error);
    }

    [Fact]
    public void NamesABadKeyWithoutShowingIt()
    {
        var profile = new ExchangeProfile { PriceMacro = PriceMacroEncoding.Encrypted, PriceEncryptionKey = "secret*value", PriceIntegrityKey = ExampleIntegrityKey };
        var error = Assert.Single(profile.Validate("x"));
        Assert.Contains("encryption key", error);
        Assert.DoesNotContain("secret*value", error);
    }

    [Fact]
    public void MakesWorkingKeysForEncryptedPrices()
    {
        var profile = new ExchangeProfile { PriceMacro = PriceMacroEncoding.Encrypted, PriceEncryptionKey = ExampleEncryptionKey, PriceIntegrityKey = ExampleIntegrityKey };
        Assert.Empty(profile.Validate("x"));
        var keys = profile.PriceKeys()!;
        Assert.Equal(PriceDecryptionResult.Decrypted, keys.TryDecrypt("YWJjMTIzZGVmNDU2Z2hpN7fhCuPemCce_6msaw"u8, out var micros));
        Assert.Equal(100, micros);
        Assert.Null(new ExchangeProfile().PriceKeys());
    }

    [Fact]
    public void PassesItsHealthSettingsErrorsOnUnderItsOwnName() =>
        Assert.StartsWith("BidEngine:Exchanges:x:Health:TripShare ", Assert.Single(new ExchangeProfile { Health = new ExchangeHealthOptions { TripShare = 2 } }.Validate("x")));
}
