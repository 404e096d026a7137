using System.Text;
using BidEngine.Core.Privacy;

namespace BidEngine.Core.Tests.Privacy;

/// <summary>The TC string decoder against every string the IAB's @iabtcf/core made, and that library's own decoding of it.</summary>
public sealed class TcfDecoderTests
{
    // Every vendor of the fixtures' vendor list, and neighbours that are in none of the strings.
    private static readonly int[] VendorIds =
        [.. Enumerable.Range(1, 42), 332, 333, 334, 900, 901, 902, 903, 1999, 2000, 2001, 2002, 2003, 2004, 2005, 2006, 29999, 30000, 30001, 65535];

    public static TheoryData<string> Names => PrivacyFixtures.TcfNames();

    [Theory]
    [MemberData(nameof(Names))]
    public void DecodesEveryFixtureAsTheIabLibraryDoesForEveryVendor(string name)
    {
        var fixture = PrivacyFixtures.TcfNamed(name);
        var expected = fixture.Expected;
        var text = Encoding.ASCII.GetBytes(fixture.String);
        foreach (var vendor in VendorIds)
        {
            var status = TcfDecoder.Decode(text, vendor, out var consent);
            if (expected.PolicyVersion >= 5 && expected.VendorsDisclosed is null)
            {
                // The IAB library reads it; TCF v2.3 says the segment is mandatory, so it is refused here.
                Assert.Equal(TcfStatus.MissingDisclosedVendors, status);
                continue;
            }

            Assert.Equal(TcfStatus.Valid, status);
            Assert.Equal(expected.Version, consent.Version);
            Assert.Equal(expected.PolicyVersion, consent.PolicyVersion);
            Assert.Equal(expected.CmpId, consent.CmpId);
            Assert.Equal(expected.CmpVersion, consent.CmpVersion);
            Assert.Equal(expected.VendorListVersion, consent.VendorListVersion);
            Assert.Equal(expected.IsServiceSpecific, consent.IsServiceSpecific);
            for (var p = 1; p <= 24; p++)
            {
                Assert.True(expected.PurposeConsents.Contains(p) == consent.HasPurposeConsent(p), $"{name}: purpose {p} consent");
                Assert.True(expected.PurposeLegitimateInterests.Contains(p) == consent.HasPurposeLegitimateInterest(p), $"{name}: purpose {p} LI");
            }

            for (var f = 1; f <= 12; f++)
            {
                Assert.True(expected.SpecialFeatureOptins.Contains(f) == consent.HasSpecialFeatureOptIn(f), $"{name}: special feature {f}");
            }

            Assert.True(expected.VendorConsents.Contains(vendor) == consent.VendorConsent, $"{name}: vendor {vendor} consent");
            Assert.True(expected.VendorLegitimateInterests.Contains(vendor) == consent.VendorLegitimateInterest, $"{name}: vendor {vendor} LI");
            Assert.Equal(expected.VendorsDisclosed is not null, consent.HasDisclosedVendors);
            Assert.True((expected.VendorsDisclosed?.Contains(vendor) ?? false) == consent.VendorDisclosed, $"{name}: vendor {vendor} disclosed");
            for (var p = 1; p <= 24; p++)
            {
                var restriction = expected.PublisherRestrictions
                    .Where(r => r.Purpose == p && r.Vendors.Contains(vendor))
                    .Select(r => (TcfRestriction)r.Type)
                    .DefaultIfEmpty(TcfRestriction.None)
                    .Min();
                Assert.True(restriction == consent.Restriction(p), $"{name}: vendor {vendor} purpose {p}: expected {restriction}, read {consent.Restriction(p)}");
            }
        }
    }

    [Fact]
    public void TheFixturesCoverBothVendorEncodingsBothPolicyVersionsRestrictionsAndDisclosedVendors()
    {
        var all = PrivacyFixtures.Tcf;
        Assert.Contains(all, f => f.VendorEncoding == "bitfield" && f.Expected.VendorConsents.Length > 0);
        Assert.Contains(all, f => f.VendorEncoding == "range" && f.Expected.VendorConsents.Length > 0);
        Assert.Contains(all, f => f.Expected.PolicyVersion == 4);
        Assert.Contains(all, f => f.Expected.PolicyVersion == 5 && f.Expected.VendorsDisclosed is not null);
        Assert.Contains(all, f => f.Expected.PolicyVersion == 5 && f.Expected.VendorsDisclosed is null);
        Assert.Contains(all, f => f.Expected.PublisherRestrictions.Select(r => r.Type).Distinct().Count() == 3);
    }

    [Fact]
    public void WithoutAVendorIdOnlyThePurposesCount()
    {
        var text = Encoding.ASCII.GetBytes(PrivacyFixtures.TcfNamed("tcf22-vendor-without-consent").String);
        Assert.Equal(TcfStatus.Valid, TcfDecoder.Decode(text, 0, out var anyVendor));
        Assert.True(anyVendor.HasLegalBasis(2));
        Assert.Equal(TcfStatus.Valid, TcfDecoder.Decode(text, 901, out var us));
        Assert.False(us.HasLegalBasis(2));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a tc string")]
    [InlineData("CQuAQVAQuDjRAAfAEBENBNEoAP_AAEPAAAA")] // cut inside the core segment
    [InlineData("CQuAQVAQuDjRAAfAEBENBNEsAP_AAEPAAAAAHCwAoAAgBQA4UDhYAUAAQAoAcKAA.")] // empty segment
    [InlineData("CQuAQVAQuDjRAAfAEBENBNEsAP_AAEPAAAAAHCwAoAAgBQA4UDhYAUAAQAoAcKAA.L$")] // not base64url
    public void RefusesWhatIsNotATcString(string text)
    {
        Assert.Equal(TcfStatus.Malformed, TcfDecoder.Decode(Encoding.ASCII.GetBytes(text), 901, out _));
    }

    [Fact]
    public void RefusesAVersionOneString()
    {
        // Version 1 in the first six bits ("B..."): TCF v1 strings are long retired.
        Assert.Equal(TcfStatus.UnsupportedVersion, TcfDecoder.Decode("BOEFEAyOEFEAyAHABDENAI4AAAB9vABAASA"u8, 901, out _));
    }

    [Fact]
    public void EveryTruncationOfEveryFixtureDecodesOrIsRefusedWithoutThrowing()
    {
        foreach (var fixture in PrivacyFixtures.Tcf)
        {
            var text = Encoding.ASCII.GetBytes(fixture.String);
            for (var length = 0; length < text.Length; length++)
            {
                var status = TcfDecoder.Decode(text.AsSpan(0, length), 901, out _);
                Assert.True(Enum.IsDefined(status));
            }
        }
    }
}
