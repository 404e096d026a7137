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
        var accepted = 0;
        Text.Sample(
            text =>
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                var status = TcfDecoder.Decode(bytes, 901, out var consent);
                if (status == TcfStatus.Valid)
                {
                    accepted++;
                    Assert.Equal(2, consent.Version);
                    Assert.True(SlowCore(text[..(text + ".").IndexOf('.')]), $"accepted a core segment the slow reader refuses: {text}");
                }

                if (GppString.TryReadSectionIds(bytes, out var ids))
                {
                    for (var id = 1; id < 64; id++)
                    {
                        if (GppString.TryGetSection(bytes, ids, id, out var section))
                        {
                            GppString.TryReadUsOptOuts(section, id, out _);
                        }
                    }
                }

                UsPrivacyString.TryRead(bytes, out _);
            },
            writeLine: output.WriteLine,
            seed: FuzzSettings.Seed,
            iter: FuzzSettings.Iterations(SuiteIterations));
        output.WriteLine($"TC strings accepted: {accepted}");
    }

    [Fact]
    public void RequestsWithRandomConsentSignalsAreDecidedWithoutThrowing()
    {
        var engine = new ConsentEngine(new PrivacyOptions { VendorId = 901 });
        Gen.Select(Text, Text, Text, Gen.Int[-1, 2], Gen.Bool).Sample(
            (consent, gpp, usp, gdpr, coppa) =>
            {
                // A request per sample: CsCheck runs samples on several threads at once, and one shared
                // request let a sample read another's user (a failure of the test, not of the engine).
                var request = new BidRequest();
                var json = $$$"""{"id":"r","imp":[{"id":"1"}],"user":{"id":"u","consent":{{{Json(consent)}}}},"device":{"ip":{{{Json(usp)}}}},"regs":{"gdpr":{{{gdpr}}},"coppa":{{{(coppa ? 1 : 0)}}},"gpp":{{{Json(gpp)}}},"us_privacy":{{{Json(usp)}}},"gpp_sid":[2,6,7,8]}}""";
                if (!BidRequestParser.Parse(Encoding.UTF8.GetBytes(json), request).IsSuccess)
                {
                    // Random text with a lone surrogate is not JSON text: the parser refuses it, nothing to decide.
                    return;
                }
                var decision = engine.Apply(request);
                Assert.True(Enum.IsDefined(decision.Outcome));
                if (!decision.Personalise)
                {
                    Assert.False(request.User.Id.HasValue);
                }
            },
            writeLine: output.WriteLine,
            seed: FuzzSettings.Seed,
            iter: FuzzSettings.Iterations(SuiteIterations / 3));
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
