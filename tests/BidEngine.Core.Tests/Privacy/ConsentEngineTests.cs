using System.Text;
using BidEngine.Core.FrequencyCaps;
using BidEngine.Core.Privacy;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Core.Tests.Privacy;

/// <summary>What the consent engine decides for each signal, and what it leaves of the request.</summary>
public sealed class ConsentEngineTests
{
    private const int Us = 901;

    private static string Tcf(string name) => PrivacyFixtures.TcfNamed(name).String;

    private static string Gpp(string name) => PrivacyFixtures.GppNamed(name).String;

    public static TheoryData<string, string, PrivacyOutcome, bool, PrivacyReason> Cases() => new()
    {
        // GDPR, 2.6 and 2.5 forms
        { "gdpr, every purpose", $$$$"""{"user":{"id":"u","consent":"{{{{Tcf("tcf22-dense-with-901")}}}}"},"regs":{"gdpr":1}}""", PrivacyOutcome.Full, true, PrivacyReason.None },
        { "gdpr 2.5 ext, every purpose", $$$$"""{"user":{"id":"u","ext":{"consent":"{{{{Tcf("tcf22-dense-with-901")}}}}"}},"regs":{"ext":{"gdpr":1}}}""", PrivacyOutcome.Full, true, PrivacyReason.None },
        { "gdpr, range encoding", $$$$"""{"user":{"id":"u","consent":"{{{{Tcf("tcf22-range-full")}}}}"},"regs":{"gdpr":1}}""", PrivacyOutcome.Full, true, PrivacyReason.None },
        { "gdpr, no string", """{"user":{"id":"u"},"regs":{"gdpr":1}}""", PrivacyOutcome.NoBid, false, PrivacyReason.ConsentMissing },
        { "gdpr 2.5, no string", """{"user":{"id":"u"},"regs":{"ext":{"gdpr":1}}}""", PrivacyOutcome.NoBid, false, PrivacyReason.ConsentMissing },
        { "gdpr, garbage", """{"user":{"consent":"not-a-tc-string!"},"regs":{"gdpr":1}}""", PrivacyOutcome.NoBid, false, PrivacyReason.ConsentUnreadable },
        { "gdpr, no purpose 2", $$$$"""{"user":{"consent":"{{{{Tcf("tcf22-no-purpose2")}}}}"},"regs":{"gdpr":1}}""", PrivacyOutcome.NoBid, false, PrivacyReason.NoBasicAdsBasis },
        { "gdpr, vendor without consent", $$$$"""{"user":{"consent":"{{{{Tcf("tcf22-vendor-without-consent")}}}}"},"regs":{"gdpr":1}}""", PrivacyOutcome.NoBid, false, PrivacyReason.NoBasicAdsBasis },
        { "gdpr, purpose 2 not allowed for us by the publisher", $$$$"""{"user":{"consent":"{{{{Tcf("tcf22-publisher-restrictions")}}}}"},"regs":{"gdpr":1}}""", PrivacyOutcome.NoBid, false, PrivacyReason.NoBasicAdsBasis },
        { "gdpr, purpose 2 by LI, no 3/4", $$$$"""{"user":{"id":"u","consent":"{{{{Tcf("tcf22-li-purpose2-only")}}}}"},"regs":{"gdpr":1}}""", PrivacyOutcome.NoUserData, false, PrivacyReason.NoPersonalisationConsent },
        { "gdpr, no special feature 1", $$$$"""{"user":{"id":"u","consent":"{{{{Tcf("tcf22-no-special-feature1")}}}}"},"regs":{"gdpr":1}}""", PrivacyOutcome.Full, false, PrivacyReason.NoPreciseGeoConsent },
        { "gdpr, v2.3 with disclosed vendors", $$$$"""{"user":{"id":"u","consent":"{{{{Tcf("tcf23-disclosed-full")}}}}"},"regs":{"gdpr":1}}""", PrivacyOutcome.Full, true, PrivacyReason.None },
        { "gdpr, v2.3 without disclosed vendors", $$$$"""{"user":{"consent":"{{{{Tcf("tcf23-without-disclosed")}}}}"},"regs":{"gdpr":1}}""", PrivacyOutcome.NoBid, false, PrivacyReason.DisclosedVendorsMissing },
        { "gdpr, v2.3 LI but we were not disclosed", $$$$"""{"user":{"consent":"{{{{Tcf("tcf23-li-not-disclosed")}}}}"},"regs":{"gdpr":1}}""", PrivacyOutcome.NoBid, false, PrivacyReason.NoBasicAdsBasis },
        { "gdpr, v2.3 LI and disclosed", $$$$"""{"user":{"consent":"{{{{Tcf("tcf23-li-disclosed")}}}}"},"regs":{"gdpr":1}}""", PrivacyOutcome.NoUserData, false, PrivacyReason.NoPersonalisationConsent },
        { "gdpr 0 with no string", """{"user":{"id":"u"},"regs":{"gdpr":0}}""", PrivacyOutcome.Full, true, PrivacyReason.None },
        { "gdpr unknown with no string", """{"user":{"id":"u"}}""", PrivacyOutcome.Full, true, PrivacyReason.None },

        // GPP: the TC string as section 2, US sections
        { "gpp section 2 applies", $$$$"""{"regs":{"gpp":"{{{{Gpp("gpp-tcfeuv2-and-usnat")}}}}","gpp_sid":[2]}}""", PrivacyOutcome.Full, true, PrivacyReason.None },
        { "gpp usnat, no opt-out", $$$$"""{"regs":{"gpp":"{{{{Gpp("gpp-usnat-no-opt-out")}}}}","gpp_sid":[7]}}""", PrivacyOutcome.Full, true, PrivacyReason.None },
        { "gpp usnat, sale opt-out", $$$$"""{"regs":{"gpp":"{{{{Gpp("gpp-usnat-sale-opt-out")}}}}","gpp_sid":[7]}}""", PrivacyOutcome.NoUserData, false, PrivacyReason.GppOptOut },
        { "gpp usnat, sharing opt-out", $$$$"""{"regs":{"gpp":"{{{{Gpp("gpp-usnat-sharing-opt-out")}}}}","gpp_sid":[7]}}""", PrivacyOutcome.NoUserData, false, PrivacyReason.GppOptOut },
        { "gpp usnat, targeted opt-out", $$$$"""{"regs":{"gpp":"{{{{Gpp("gpp-usnat-targeted-opt-out")}}}}","gpp_sid":[7]}}""", PrivacyOutcome.NoUserData, false, PrivacyReason.GppOptOut },
        { "gpp usnat, no gpp_sid: the sections it carries apply", $$$$"""{"regs":{"gpp":"{{{{Gpp("gpp-usnat-targeted-opt-out")}}}}"}}""", PrivacyOutcome.NoUserData, false, PrivacyReason.GppOptOut },
        { "gpp usca sharing opt-out", $$$$"""{"regs":{"gpp":"{{{{Gpp("gpp-usca-sharing-opt-out")}}}}","gpp_sid":[8]}}""", PrivacyOutcome.NoUserData, false, PrivacyReason.GppOptOut },
        { "gpp usva targeted opt-out", $$$$"""{"regs":{"gpp":"{{{{Gpp("gpp-usva-targeted-opt-out")}}}}","gpp_sid":[9]}}""", PrivacyOutcome.NoUserData, false, PrivacyReason.GppOptOut },
        { "gpp state opt-out applies", $$$$"""{"regs":{"gpp":"{{{{Gpp("gpp-usnat-and-usca-state-opt-out")}}}}","gpp_sid":[7,8]}}""", PrivacyOutcome.NoUserData, false, PrivacyReason.GppOptOut },
        { "gpp state opt-out in a section that does not apply", $$$$"""{"regs":{"gpp":"{{{{Gpp("gpp-usnat-and-usca-only-national-applies")}}}}","gpp_sid":[7]}}""", PrivacyOutcome.Full, true, PrivacyReason.None },
        { "gpp uspv1 opt-out", $$$$"""{"regs":{"gpp":"{{{{Gpp("gpp-uspv1-opt-out")}}}}","gpp_sid":[6]}}""", PrivacyOutcome.NoUserData, false, PrivacyReason.GppOptOut },
        { "gpp that does not decode", """{"regs":{"gpp":"@@@","gpp_sid":[7]}}""", PrivacyOutcome.NoUserData, false, PrivacyReason.GppUnreadable },
        { "gpp that does not decode, no US section applies", """{"regs":{"gpp":"@@@","gpp_sid":[]}}""", PrivacyOutcome.Full, true, PrivacyReason.None },

        // US Privacy, 2.6 and 2.5 forms
        { "usp opt-out", """{"user":{"id":"u"},"regs":{"us_privacy":"1YYN"}}""", PrivacyOutcome.NoUserData, false, PrivacyReason.UsPrivacyOptOut },
        { "usp 2.5 opt-out", """{"user":{"id":"u"},"regs":{"ext":{"us_privacy":"1YYN"}}}""", PrivacyOutcome.NoUserData, false, PrivacyReason.UsPrivacyOptOut },
        { "usp no opt-out", """{"user":{"id":"u"},"regs":{"us_privacy":"1YNN"}}""", PrivacyOutcome.Full, true, PrivacyReason.None },
        { "usp not applicable", """{"user":{"id":"u"},"regs":{"us_privacy":"1---"}}""", PrivacyOutcome.Full, true, PrivacyReason.None },

        // COPPA and LMT
        { "coppa", """{"user":{"id":"u"},"regs":{"coppa":1}}""", PrivacyOutcome.NoUserData, false, PrivacyReason.Coppa },
        { "lmt", """{"user":{"id":"u"},"device":{"lmt":1}}""", PrivacyOutcome.NoUserData, false, PrivacyReason.LimitAdTracking },
        { "coppa wins over a full consent", $$$$"""{"user":{"consent":"{{{{Tcf("tcf22-dense-with-901")}}}}"},"regs":{"gdpr":1,"coppa":1}}""", PrivacyOutcome.NoUserData, false, PrivacyReason.Coppa },
        { "no consent wins over coppa", """{"regs":{"gdpr":1,"coppa":1}}""", PrivacyOutcome.NoBid, false, PrivacyReason.ConsentMissing },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DecidesEachSignal(string what, string fields, PrivacyOutcome outcome, bool preciseGeo, PrivacyReason reason)
    {
        var request = Parse(fields);
        var decision = new ConsentEngine(new PrivacyOptions { VendorId = Us }).Decide(request);
        Assert.True(outcome == decision.Outcome, $"{what}: expected {outcome}, decided {decision.Outcome} ({decision.Reason})");
        Assert.Equal(reason, decision.Reason);
        Assert.Equal(preciseGeo, decision.PreciseGeo);
        Assert.Equal(outcome == PrivacyOutcome.NoBid ? PrivacyDecision.ConsentNoBidReason : 0, decision.NoBidReasonCode);
    }

    [Fact]
    public void WithoutAVendorIdOnlyThePurposesAreChecked()
    {
        var request = Parse($$$$"""{"user":{"consent":"{{{{Tcf("tcf22-vendor-without-consent")}}}}"},"regs":{"gdpr":1}}""");
        Assert.Equal(PrivacyOutcome.Full, new ConsentEngine(new PrivacyOptions()).Decide(request).Outcome);
        Assert.Equal(PrivacyOutcome.NoBid, new ConsentEngine(new PrivacyOptions { VendorId = Us }).Decide(request).Outcome);
    }

    [Fact]
    public void WithoutUserDataTheRequestNamesNoUserAndKeepsNoPreciseLocation()
    {
        var request = Parse("""
            {"user":{"id":"u-1","buyeruid":"b-1","yob":1980,"gender":"F","geo":{"country":"USA","lat":1.5,"lon":2.5}},
             "device":{"ifa":"ifa-1","ip":"203.0.113.77","lmt":1,"geo":{"country":"USA","region":"CA","city":"SF","lat":37.7,"lon":-122.4,"utcoffset":-480}}}
            """);
        Assert.NotEqual(0UL, FrequencyKey.OfUser(request));

        var engine = new ConsentEngine(new PrivacyOptions { VendorId = Us });
        var decision = engine.Apply(request);

        Assert.Equal(PrivacyOutcome.NoUserData, decision.Outcome);
        Assert.Equal(0UL, FrequencyKey.OfUser(request));
        Assert.False(request.User.Id.HasValue);
        Assert.False(request.User.BuyerUid.HasValue);
        Assert.Equal(0, request.User.Yob);
        Assert.False(request.User.Gender.HasValue);
        Assert.False(request.Device.Ifa.HasValue);
        Assert.Equal("203.0.113.0", request.Text.GetString(request.Device.Ip));
        Assert.Null(request.Device.Geo.Lat);
        Assert.Null(request.Device.Geo.Lon);
        Assert.Null(request.User.Geo.Lat);
        Assert.Equal("USA", request.Text.GetString(request.Device.Geo.Country));
        Assert.Equal("CA", request.Text.GetString(request.Device.Geo.Region));
        Assert.Equal(-480, request.Device.Geo.UtcOffset);
        Assert.Equal(1, engine.Count(PrivacyOutcome.NoUserData));
        Assert.Equal(1, engine.Count(PrivacyReason.LimitAdTracking));
    }

    [Fact]
    public void WithFullConsentTheRequestIsLeftAsItCame()
    {
        var request = Parse($$$$"""
            {"user":{"id":"u-1","yob":1980,"consent":"{{{{Tcf("tcf22-dense-with-901")}}}}"},"regs":{"gdpr":1},
             "device":{"ifa":"ifa-1","ip":"203.0.113.77","geo":{"lat":37.7,"lon":-122.4}}}
            """);
        var decision = new ConsentEngine(new PrivacyOptions { VendorId = Us }).Apply(request);
        Assert.Equal(PrivacyDecision.Unrestricted, decision);
        Assert.Equal("u-1", request.Text.GetString(request.User.Id));
        Assert.Equal("ifa-1", request.Text.GetString(request.Device.Ifa));
        Assert.Equal("203.0.113.77", request.Text.GetString(request.Device.Ip));
        Assert.Equal(37.7, request.Device.Geo.Lat);
    }

    [Theory]
    [InlineData("203.0.113.77", "203.0.113.0")]
    [InlineData("10.1.2.3", "10.1.2.0")]
    [InlineData("2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::")]
    [InlineData("2001:db8::1", "2001:db8::")]
    [InlineData("::1", "::")]
    [InlineData("garbage", "")]
    public void TruncatesAddressesToTheirNetwork(string ip, string expected)
    {
        Span<byte> into = stackalloc byte[64];
        var length = PrivacyRedaction.Truncate(Encoding.ASCII.GetBytes(ip), into);
        Assert.Equal(expected, Encoding.ASCII.GetString(into[..length]));
    }

    private static BidRequest Parse(string fields)
    {
        // The fields go into a minimal request: an id and one imp, then the given objects.
        var json = "{\"id\":\"r\",\"imp\":[{\"id\":\"1\"}]," + fields.Trim()[1..];
        var request = new BidRequest();
        var result = BidRequestParser.Parse(Encoding.UTF8.GetBytes(json), request);
        Assert.True(result.IsSuccess, result.Message);
        return request;
    }

    [Theory]
    [InlineData("DEU", true)]
    [InlineData("deu", true)]
    [InlineData("GBR", true)]
    [InlineData("CHE", true)]
    [InlineData("NOR", true)]
    [InlineData("USA", false)]
    [InlineData("DE", false)]
    [InlineData("", false)]
    [InlineData("DEUT", false)]
    public void GdprCountriesAreTheEeaTheUkAndSwitzerland(string code, bool listed)
    {
        Assert.Equal(listed, GdprCountries.Contains(Encoding.ASCII.GetBytes(code)));
        Assert.Equal(32, GdprCountries.Count);
    }

    [Theory]
    [InlineData("""{"device":{"geo":{"country":"FRA"}},"user":{"id":"u"}}""", UnsignalledGdpr.AppliesInEea, PrivacyReason.ConsentMissingInEea)]
    [InlineData("""{"user":{"id":"u","geo":{"country":"FRA"}}}""", UnsignalledGdpr.AppliesInEea, PrivacyReason.ConsentMissingInEea)]
    [InlineData("""{"device":{"geo":{"country":"USA"}},"user":{"id":"u","geo":{"country":"FRA"}}}""", UnsignalledGdpr.AppliesInEea, PrivacyReason.None)]
    [InlineData("""{"device":{"geo":{"country":"FRA"}},"user":{"id":"u"},"regs":{"gdpr":0}}""", UnsignalledGdpr.AppliesInEea, PrivacyReason.None)]
    [InlineData("""{"device":{"geo":{"country":"FRA"}},"user":{"id":"u"}}""", UnsignalledGdpr.DoesNotApply, PrivacyReason.None)]
    [InlineData("""{"device":{"geo":{"country":"FRA"}},"user":{"id":"u"},"regs":{"gdpr":1}}""", UnsignalledGdpr.AppliesInEea, PrivacyReason.ConsentMissing)]
    public void AnUnsignalledRequestIsReadByItsCountryOnlyWhenAsked(string json, UnsignalledGdpr setting, PrivacyReason reason)
    {
        var request = Parse(json);
        var decision = new ConsentEngine(new PrivacyOptions { VendorId = Us, GdprWhenUnsignalled = setting }).Decide(request);
        Assert.Equal(reason, decision.Reason);
        Assert.Equal(reason == PrivacyReason.None ? PrivacyOutcome.Full : PrivacyOutcome.NoBid, decision.Outcome);
    }
}
