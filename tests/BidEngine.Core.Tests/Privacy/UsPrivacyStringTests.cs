using System.Text;
using BidEngine.Core.Privacy;

namespace BidEngine.Core.Tests.Privacy;

public sealed class UsPrivacyStringTests
{
    public static TheoryData<string> Names => PrivacyFixtures.UspNames();

    [Theory]
    [MemberData(nameof(Names))]
    public void ReadsEveryFixtureAsTheIabLibraryWroteIt(string name)
    {
        var fixture = PrivacyFixtures.UsPrivacy.Single(f => f.Name == name);
        Assert.True(UsPrivacyString.TryRead(Encoding.ASCII.GetBytes(fixture.String), out var optedOut));
        Assert.Equal(fixture.Expected.OptOutSale == "Y", optedOut);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1YY")]
    [InlineData("2YYN")]
    [InlineData("1YXN")]
    [InlineData("1YYNN")]
    public void RefusesWhatIsNotAVersionOneString(string text)
    {
        Assert.False(UsPrivacyString.TryRead(Encoding.ASCII.GetBytes(text), out var optedOut));
        Assert.False(optedOut);
    }
}
