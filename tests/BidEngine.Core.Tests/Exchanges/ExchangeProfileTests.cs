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

    private const string Key32 = "skU7Ax_NL5pPAFyKdkfZjZz2-VhIN8bjj1rVFOaJ_5o=";

    [Fact]
    public void AcceptsAnEncryptingProfileWithBothKeysAndNurlBilling() =>
        Assert.Empty(new ExchangeProfile
        {
            BillOn = BillingUrl.Nurl,
            PriceMacro = PriceEncoding.Encrypted,
            PriceKeys = new PriceKeyOptions { EncryptionKey = Key32, IntegrityKey = "arO23ykdNqUQ5LEoQ0FVmPkBd7xB5CO89PDZlSjpFxo" },
        }.Validate("x"));

    [Fact]
    public void RefusesValuesOutsideTheEnumsNamingTheSetting()
    {
        var errors = new ExchangeProfile { BillOn = (BillingUrl)7, PriceMacro = (PriceEncoding)7 }.Validate("x").ToList();
        Assert.Contains(errors, e => e.StartsWith("BidEngine:Exchanges:x:BillOn ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("BidEngine:Exchanges:x:PriceMacro ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", Key32, "EncryptionKey is required")]
    [InlineData(Key32, " ", "IntegrityKey is required")]
    [InlineData(Key32, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "IntegrityKey must decode to 32 bytes; it decodes to 48")]
    [InlineData("%%%%", Key32, "EncryptionKey is not base64")]
    public void RefusesAMissingShortOrMalformedKeyNamingItButNotItsValue(string encryption, string integrity, string problem)
    {
        var error = Assert.Single(new ExchangeProfile
        {
            PriceMacro = PriceEncoding.Encrypted,
            PriceKeys = new PriceKeyOptions { EncryptionKey = encryption, IntegrityKey = integrity },
        }.Validate("x"));

        Assert.StartsWith("BidEngine:Exchanges:x:PriceKeys:" + problem, error);
        Assert.DoesNotContain("skU7Ax", error, StringComparison.Ordinal);
        Assert.DoesNotContain("AAAAAAAA", error, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesKeysOnAPlainProfile() =>
        Assert.Contains("PriceMacro is Plain", Assert.Single(new ExchangeProfile { PriceKeys = new PriceKeyOptions { EncryptionKey = Key32 } }.Validate("x")));
}
