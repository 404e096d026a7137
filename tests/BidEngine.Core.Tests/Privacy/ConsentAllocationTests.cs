using System.Text;
using BidEngine.Core.Privacy;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Core.Tests.Privacy;

/// <summary>
/// The consent step's allocation budget: decoding every IAB fixture, and parsing plus deciding plus
/// redacting requests that carry each signal, allocate nothing in steady state.
/// </summary>
public sealed class ConsentAllocationTests
{
    /// <summary>Bytes allowed over all measured rounds together. Measured: 0.</summary>
    private const long BudgetBytes = 0;

    private const int Rounds = 1000;

    [Fact]
    public void DecodingEveryFixtureAllocatesNothing()
    {
        var tcf = PrivacyFixtures.Tcf.Select(f => Encoding.ASCII.GetBytes(f.String)).ToArray();
        var gpp = PrivacyFixtures.Gpp.Select(f => Encoding.ASCII.GetBytes(f.String)).ToArray();
        var usp = PrivacyFixtures.UsPrivacy.Select(f => Encoding.ASCII.GetBytes(f.String)).ToArray();
        var sink = 0L;

        void Round()
        {
            foreach (var text in tcf)
            {
                sink += (int)TcfDecoder.Decode(text, 901, out var consent) + consent.PurposesConsent;
            }

            foreach (var text in gpp)
            {
                if (GppString.TryReadSectionIds(text, out var ids))
                {
                    for (var id = 6; id <= 10; id++)
                    {
                        if (GppString.TryGetSection(text, ids, id, out var section) && GppString.TryReadUsOptOuts(section, id, out var optOuts))
                        {
                            sink += (int)optOuts;
                        }
                    }
                }
            }

            foreach (var text in usp)
            {
                sink += UsPrivacyString.TryRead(text, out var optedOut) && optedOut ? 1 : 0;
            }
        }

        Round();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
        {
            Round();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(sink != 0);
        Assert.True(allocated <= BudgetBytes, $"decoding the fixtures {Rounds} times allocated {allocated} B");
    }

    [Fact]
    public void ParsingDecidingAndRedactingRequestsWithEachSignalAllocatesNothing()
    {
        string[] fields =
        [
            $$$$"""{"user":{"id":"u","consent":"{{{{PrivacyFixtures.TcfNamed("tcf22-dense-with-901").String}}}}"},"regs":{"gdpr":1},"device":{"ip":"203.0.113.9","geo":{"lat":1,"lon":2}}}""",
            $$$$"""{"user":{"id":"u","ext":{"consent":"{{{{PrivacyFixtures.TcfNamed("tcf22-publisher-restrictions").String}}}}"}},"regs":{"ext":{"gdpr":1}}}""",
            $$$$"""{"user":{"id":"u","consent":"{{{{PrivacyFixtures.TcfNamed("tcf22-li-purpose2-only").String}}}}"},"regs":{"gdpr":1},"device":{"ifa":"x","ip":"2001:db8:1:2::9"}}""",
            $$$$"""{"user":{"id":"u","consent":"{{{{PrivacyFixtures.TcfNamed("tcf23-disclosed-full").String}}}}"},"regs":{"gdpr":1}}""",
            $$$$"""{"regs":{"gpp":"{{{{PrivacyFixtures.GppNamed("gpp-tcfeuv2-and-usnat").String}}}}","gpp_sid":[2,7]}}""",
            $$$$"""{"regs":{"gpp":"{{{{PrivacyFixtures.GppNamed("gpp-usnat-and-usca-state-opt-out").String}}}}","gpp_sid":[7,8]},"user":{"id":"u"}}""",
            """{"user":{"id":"u","yob":1990},"regs":{"us_privacy":"1YYN"}}""",
            """{"user":{"id":"u"},"regs":{"coppa":1},"device":{"ip":"203.0.113.9","ifa":"i"}}""",
            """{"user":{"id":"u"},"device":{"lmt":1,"ip":"203.0.113.9"}}""",
            """{"regs":{"gdpr":1}}""",
        ];
        var bodies = fields.Select(f => Encoding.UTF8.GetBytes("{\"id\":\"r\",\"imp\":[{\"id\":\"1\"}]," + f[1..])).ToArray();
        var request = new BidRequest();
        var engine = new ConsentEngine(new PrivacyOptions { VendorId = 901 });
        var sink = 0;

        void Round()
        {
            foreach (var body in bodies)
            {
                request.Reset();
                BidRequestParser.Parse(body, request);
                sink += (int)engine.Apply(request).Outcome;
            }
        }

        Round();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
        {
            Round();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(sink > 0);
        Assert.True(allocated <= BudgetBytes, $"{Rounds} rounds of {bodies.Length} requests allocated {allocated} B");
    }
}
