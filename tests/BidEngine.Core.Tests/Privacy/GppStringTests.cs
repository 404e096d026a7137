using System.Text;
using BidEngine.Core.Privacy;

namespace BidEngine.Core.Tests.Privacy;

/// <summary>The GPP reader against every string the IAB's @iabgpp/cmpapi made, and that library's own decoding of it.</summary>
public sealed class GppStringTests
{
    private static readonly Dictionary<string, int> SectionIds = new()
    {
        ["tcfeuv2"] = 2,
        ["uspv1"] = 6,
        ["usnat"] = 7,
        ["usca"] = 8,
        ["usva"] = 9,
        ["usco"] = 10,
    };

    public static TheoryData<string> Names => PrivacyFixtures.GppNames();

    [Theory]
    [MemberData(nameof(Names))]
    public void ReadsTheSectionsAndOptOutsOfEveryFixtureAsTheIabLibraryDoes(string name)
    {
        var fixture = PrivacyFixtures.GppNamed(name);
        var gpp = Encoding.ASCII.GetBytes(fixture.String);
        Assert.True(GppString.TryReadSectionIds(gpp, out var ids));
        Assert.Equal(fixture.Expected.SectionIds, Enumerable.Range(1, 63).Where(i => (ids & (1UL << i)) != 0));

        foreach (var (sectionName, expected) in fixture.Expected.Sections)
        {
            var id = SectionIds[sectionName];
            Assert.Equal(expected.Id, id);
            Assert.True(GppString.TryGetSection(gpp, ids, id, out var section), $"{name}: section {sectionName}");
            if (expected.String is not null)
            {
                Assert.Equal(expected.String, Encoding.ASCII.GetString(section));
            }

            if (id == GppString.TcfEuV2)
            {
                Assert.Equal(TcfStatus.Valid, TcfDecoder.Decode(section, 0, out _));
                continue;
            }

            Assert.True(GppString.TryReadUsOptOuts(section, id, out var optOuts), $"{name}: section {sectionName} does not decode");
            var sale = id == GppString.UspV1 ? expected.OptOutSale == "Y" : expected.SaleOptOut == 1;
            Assert.Equal(sale, optOuts.HasFlag(UsOptOuts.Sale));
            Assert.Equal(expected.SharingOptOut == 1, optOuts.HasFlag(UsOptOuts.Sharing));
            Assert.Equal(expected.TargetedAdvertisingOptOut == 1, optOuts.HasFlag(UsOptOuts.TargetedAdvertising));
        }
    }

    [Fact]
    public void ASectionTheHeaderDoesNotListIsNotFound()
    {
        var gpp = Encoding.ASCII.GetBytes(PrivacyFixtures.GppNamed("gpp-usnat-no-opt-out").String);
        Assert.True(GppString.TryReadSectionIds(gpp, out var ids));
        Assert.False(GppString.TryGetSection(gpp, ids, 8, out _));
        Assert.True(GppString.TryGetSection(gpp, ids, 7, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("DBAA~")] // header of another type? no: DBAA lists nothing, so no section follows
    [InlineData("CBABLA~BVQqAAAAAQA")] // type 2 header
    [InlineData("D!AB")]
    public void RefusesHeadersThatDoNotDecodeOrListNothingReadable(string text)
    {
        var gpp = Encoding.ASCII.GetBytes(text);
        if (GppString.TryReadSectionIds(gpp, out var ids))
        {
            Assert.Equal(0UL, ids);
        }
    }

    [Fact]
    public void AUsSectionCutShortDoesNotDecode()
    {
        Assert.False(GppString.TryReadUsOptOuts("BV"u8, 7, out _));
        Assert.False(GppString.TryReadUsOptOuts("BVQqAAAAAQA"u8, 99, out _));
    }
}
