using System.Text;
using BidEngine.Core.Privacy;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;
using BidEngine.Tests.Shared.Fuzz;
using CsCheck;
using Xunit.Abstractions;

namespace BidEngine.Core.Tests.Privacy;

/// <summary>
/// Seeded fuzzing of the consent decoders: random text and mutations of the IAB fixtures never make
/// them throw, and whatever they accept is re-checked against slow, simple code. A failure prints
/// its CsCheck seed; replay it with <c>BIDENGINE_FUZZ_SEED</c>, run longer with <c>BIDENGINE_FUZZ_ITERATIONS</c>.
/// </summary>
public sealed class ConsentFuzzTests(ITestOutputHelper output)
{
    private const long SuiteIterations = 3000;

    private static readonly string[] Seeds =
    [
        .. PrivacyFixtures.Tcf.Select(f => f.String),
        .. PrivacyFixtures.Gpp.Select(f => f.String),
        .. PrivacyFixtures.UsPrivacy.Select(f => f.String),
    ];

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/=1YN";

    /// <summary>A fixture with a few characters replaced, inserted, deleted or cut; or plain random text.</summary>
    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.Char[Alphabet].Array[0, 200].Select(chars => new string(chars)),
        Gen.String,
        Gen.Select(Gen.Int[0, Seeds.Length - 1], Gen.Int[0, 6], Gen.Int, Gen.Char[Alphabet]).Select((seed, kind, at, c) => Mutate(Seeds[seed], kind, at, c)));

    [Fact]
    public void RandomAndMutatedStringsNeverMakeTheDecodersThrow()
    {
        // CsCheck runs samples on several threads: the tallies are counted with Interlocked.
        long samples = 0, tcf = 0, gpp = 0, usp = 0;
        Text.Sample(
            text =>
            {
                Interlocked.Increment(ref samples);
                var bytes = Encoding.UTF8.GetBytes(text);
                var status = TcfDecoder.Decode(bytes, 901, out var consent);
                if (status == TcfStatus.Valid)
                {
                    Interlocked.Increment(ref tcf);
                    Assert.Equal(2, consent.Version);
                    Assert.True(SlowCore(text[..(text + ".").IndexOf('.')]), $"accepted a core segment the slow reader refuses: {text}");
                }

                if (GppString.TryReadSectionIds(bytes, out var ids))
                {
                    Interlocked.Increment(ref gpp);
                    for (var id = 1; id < 64; id++)
                    {
                        if (GppString.TryGetSection(bytes, ids, id, out var section))
                        {
                            GppString.TryReadUsOptOuts(section, id, out _);
                        }
                    }
                }

                var read = UsPrivacyString.TryRead(bytes, out var optedOut);
                Assert.True(read == SlowUsPrivacy(text, out var slowOptedOut), $"US Privacy '{text}': read {read}, by the slow reader {!read}");
                if (read)
                {
                    Interlocked.Increment(ref usp);
                    Assert.Equal(slowOptedOut, optedOut);
                }
            },
            writeLine: output.WriteLine,
            seed: FuzzSettings.Seed,
            iter: FuzzSettings.Iterations(SuiteIterations));

        output.WriteLine($"{samples} strings; accepted as a TC string {tcf}, as a GPP header {gpp}, as US Privacy {usp}");
        if (samples >= 1000)
        {
            // A third of the strings are fixtures with one small change, and most such changes keep
            // a string readable: a decoder that refused nearly everything would check nothing above.
            Assert.True(tcf >= samples / 100, $"{tcf} of {samples} strings accepted as TC strings");
            Assert.True(gpp >= samples / 100, $"{gpp} of {samples} strings accepted as GPP headers");
            Assert.True(usp >= samples / 500, $"{usp} of {samples} strings accepted as US Privacy strings");
        }
    }

    [Fact]
    public void RequestsWithRandomConsentSignalsAreDecidedWithoutThrowing()
    {
        var engine = new ConsentEngine(new PrivacyOptions { VendorId = 901 });
        string[] sids = ["[2,6,7,8]", "[6,7,8]", "[]"];
        long decided = 0, bids = 0, gdprBids = 0;
        Gen.Select(Text, Text, Text, Gen.Int[-1, 2], Gen.Bool, Gen.Int[0, sids.Length - 1]).Sample(
            (consent, gpp, usp, gdpr, coppa, sid) =>
            {
                // A request per sample: CsCheck runs samples on several threads at once, and one shared
                // request let a sample read another's user (a failure of the test, not of the engine).
                var request = new BidRequest();
                var json = $$$"""{"id":"r","imp":[{"id":"1"}],"user":{"id":"u","consent":{{{Json(consent)}}}},"device":{"ip":{{{Json(usp)}}}},"regs":{"gdpr":{{{gdpr}}},"coppa":{{{(coppa ? 1 : 0)}}},"gpp":{{{Json(gpp)}}},"us_privacy":{{{Json(usp)}}},"gpp_sid":{{{sids[sid]}}}}}""";
                if (!BidRequestParser.Parse(Encoding.UTF8.GetBytes(json), request).IsSuccess)
                {
                    // Random text with a lone surrogate is not JSON text: the parser refuses it, nothing to decide.
                    return;
                }

                var decision = engine.Apply(request);
                Interlocked.Increment(ref decided);

                // The outcome is the one its reason stands for, and precise geo comes only with no limit at all.
                Assert.Equal(OutcomeOf(decision.Reason), decision.Outcome);
                Assert.Equal(decision.Reason == PrivacyReason.None, decision.PreciseGeo);

                // COPPA: never user data, never precise geo.
                Assert.False(coppa && (decision.Personalise || decision.PreciseGeo), $"a COPPA request decided {decision}");

                // Under GDPR (regs.gdpr 1, or gpp_sid naming section 2) a bid needs a TC string: in
                // user.consent, one the slow reader accepts, or else in the GPP string.
                if (decision.MayBid)
                {
                    Interlocked.Increment(ref bids);
                    if (gdpr == 1 || sid == 0)
                    {
                        Interlocked.Increment(ref gdprBids);
                        Assert.True(
                            consent.Length > 0 ? SlowCore(consent[..(consent + ".").IndexOf('.')]) : gpp.Length > 0,
                            $"a bid under GDPR with consent '{consent}' and gpp '{gpp}'");
                    }

                    // Opted out of sale in US Privacy: no user data.
                    Assert.False(SlowUsPrivacy(usp, out var optedOut) && optedOut && decision.Personalise, $"personalised with us_privacy '{usp}'");
                }

                if (!decision.Personalise)
                {
                    Assert.False(request.User.Id.HasValue);
                }
            },
            writeLine: output.WriteLine,
            seed: FuzzSettings.Seed,
            iter: FuzzSettings.Iterations(SuiteIterations / 3));

        output.WriteLine($"{decided} requests decided, {bids} allowed to bid, {gdprBids} of them under GDPR");
        if (decided >= 500)
        {
            Assert.True(bids >= decided / 10, $"{bids} of {decided} requests allowed to bid");
            Assert.True(gdprBids > 0, $"none of {decided} requests was allowed to bid under GDPR: the TC string checks above ran on nothing");
        }
    }

    /// <summary>The outcome each reason stands for, as PrivacyReason documents it.</summary>
    private static PrivacyOutcome OutcomeOf(PrivacyReason reason) => reason switch
    {
        PrivacyReason.ConsentMissing or PrivacyReason.ConsentUnreadable or PrivacyReason.DisclosedVendorsMissing
            or PrivacyReason.NoBasicAdsBasis or PrivacyReason.ConsentMissingInEea => PrivacyOutcome.NoBid,
        PrivacyReason.NoPersonalisationConsent or PrivacyReason.Coppa or PrivacyReason.LimitAdTracking
            or PrivacyReason.UsPrivacyOptOut or PrivacyReason.GppOptOut or PrivacyReason.GppUnreadable => PrivacyOutcome.NoUserData,
        PrivacyReason.None or PrivacyReason.NoPreciseGeoConsent => PrivacyOutcome.Full,
        _ => throw new InvalidOperationException($"a reason the test does not know: {reason}"),
    };

    /// <summary>The slow reference for US Privacy: "1" and three of Y, N or -, either case; the third says opted out of sale.</summary>
    private static bool SlowUsPrivacy(string text, out bool optedOutOfSale)
    {
        optedOutOfSale = false;
        if (text.Length != 4 || text[0] != '1' || !text[1..].All(c => "YNyn-".Contains(c, StringComparison.Ordinal)))
        {
            return false;
        }

        optedOutOfSale = char.ToUpperInvariant(text[2]) == 'Y';
        return true;
    }

    private static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private static string Mutate(string seed, int kind, int at, char c)
    {
        if (seed.Length == 0)
        {
            return c.ToString();
        }

        var i = (int)((uint)at % (uint)seed.Length);
        return kind switch
        {
            0 => seed[..i] + c + seed[(i + 1)..],
            1 => seed[..i] + c + seed[i..],
            2 => seed[..i] + seed[(i + 1)..],
            3 => seed[..i],
            4 => seed + "." + seed[i..],
            5 => seed.Replace('~', c),
            _ => seed[i..] + seed[..i],
        };
    }

    /// <summary>The slow reference: the core segment as a string of '0'/'1' characters, checked field by field.</summary>
    private static bool SlowCore(string core)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var bits = new StringBuilder();
        foreach (var ch in core)
        {
            var v = alphabet.IndexOf(ch == '+' ? '-' : ch == '/' ? '_' : ch);
            if (v < 0)
            {
                return false;
            }

            bits.Append(Convert.ToString(v, 2).PadLeft(6, '0'));
        }

        var s = bits.ToString();
        var pos = 0;
        int Read(int n)
        {
            if (pos + n > s.Length)
            {
                throw new FormatException();
            }

            var value = Convert.ToInt32(s.Substring(pos, n), 2);
            pos += n;
            return value;
        }

        try
        {
            if (Read(6) != 2)
            {
                return false;
            }

            pos = 213;
            for (var section = 0; section < 2; section++)
            {
                var max = Read(16);
                if (Read(1) == 0)
                {
                    pos += max;
                    if (pos > s.Length)
                    {
                        return false;
                    }
                }
                else
                {
                    var entries = Read(12);
                    for (var e = 0; e < entries; e++)
                    {
                        var isRange = Read(1) == 1;
                        var start = Read(16);
                        var end = isRange ? Read(16) : start;
                        if (start < 1 || end < start || end > max)
                        {
                            return false;
                        }
                    }
                }
            }

            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
