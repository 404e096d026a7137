using System.IO.Compression;
using System.Text.Json;

namespace BidEngine.Server.Hosting;

/// <summary>
/// The bid requests the warm-up sends: many shapes, not one. Exchange traffic mixes site and app,
/// banner, video, native and audio, one to four imps, deals, block lists, gzip bodies and absent
/// fields; every shape the warm-up skips reaches the first real traffic as unoptimised code, and
/// while new methods keep appearing the runtime postpones optimising the hot ones. Measured with
/// one request shape only: a bidder on one core answered 4k requests/s with p50 1 s for its first
/// ~100k requests, and within 3 ms once they had gone through. Deterministic (fixed seed).
/// </summary>
internal static class WarmupRequests
{
    private static readonly string[] Countries = ["USA", "CAN", "GBR", "DEU", "FRA", "BRA", "JPN"];
    private static readonly string[] Systems = ["iOS", "Android", "Windows", "macOS"];
    private static readonly int[] DeviceTypes = [1, 2, 4, 5, 3];
    private static readonly (int W, int H)[] Sizes = [(300, 250), (728, 90), (320, 50), (300, 600), (160, 600)];

    // Made by the IAB's libraries (tests/Shared/Privacy/fixtures.json): every purpose and special feature, many vendors.
    private const string TcfBitField = "CQuAQVAQuDjRAAfAEBENBNEsAP_AAEPAAAAAAUPf_f_f_ACh7_7_7_4AAAAA";
    private const string TcfRanges = "CQuAQVAQuDjRAAfAEBENBNEsAP_AAEPAAAAAHCwAoAAgBQA4UDhYAUAAQAoAcKAA";
    private const string UsNatGpp = "DBABLA~BVQqAAAAAQA.QA";

    /// <summary>A request body, and whether it is gzip-compressed (send with <c>Content-Encoding: gzip</c>).</summary>
    public readonly record struct Body(byte[] Bytes, bool Gzip);

    public static IReadOnlyList<Body> Create(int count = 96, int seed = 7)
    {
        var random = new Random(seed);
        var bodies = new List<Body>(count);
        for (var i = 0; i < count; i++)
        {
            var json = Write(random, i);
            var gzip = i % 8 == 7;
            bodies.Add(new Body(gzip ? Compress(json) : json, gzip));
        }

        return bodies;
    }

    private static byte[] Write(Random random, int n)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(2048);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", $"warmup-{n}");
            if (n % 5 != 0)
            {
                w.WriteNumber("tmax", 1000);
            }

            w.WriteNumber("at", n % 3 == 0 ? 2 : 1);
            w.WriteStartArray("cur");
            w.WriteStringValue(n % 4 == 0 ? "EUR" : "USD");
            w.WriteEndArray();
            if (n % 3 == 1)
            {
                w.WriteStartArray("bcat");
                w.WriteStringValue("IAB25");
                w.WriteStringValue("IAB7-39");
                w.WriteEndArray();
                w.WriteStartArray("badv");
                w.WriteStringValue("blocked.example");
                w.WriteEndArray();
            }

            w.WriteStartArray("imp");
            var imps = 1 + (n % 4);
            for (var i = 0; i < imps; i++)
            {
                WriteImp(w, random, n, i);
            }

            w.WriteEndArray();

            var app = n % 2 == 1;
            w.WriteStartObject(app ? "app" : "site");
            w.WriteString("id", $"p{n % 9}");
            w.WriteString(app ? "bundle" : "domain", app ? $"com.warmup.app{n % 5}" : $"warmup{n % 5}.example");
            w.WriteStartArray("cat");
            w.WriteStringValue("IAB1");
            w.WriteEndArray();
            w.WriteStartObject("publisher");
            w.WriteString("id", $"pub{n % 3}");
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartObject("device");
            w.WriteNumber("devicetype", DeviceTypes[n % DeviceTypes.Length]);
            w.WriteString("os", Systems[(n / 2) % Systems.Length]);
            w.WriteString("ua", "Mozilla/5.0 (warm-up)");
            w.WriteString("ip", "192.0.2.1");
            w.WriteNumber("connectiontype", 2);
            w.WriteStartObject("geo");
            w.WriteString("country", Countries[(n / 3) % Countries.Length]);
            w.WriteNumber("utcoffset", -300);
            w.WriteEndObject();
            w.WriteEndObject();

            // Privacy signals in both forms, so the consent step is compiled too: TC strings (bit field
            // and range vendor encodings) where GDPR applies, US Privacy and GPP (usnat) elsewhere.
            w.WriteStartObject("user");
            w.WriteString("id", $"u{random.Next(1000)}");
            if (n % 2 == 1)
            {
                w.WriteString("consent", n % 4 == 1 ? TcfBitField : TcfRanges);
            }

            w.WriteEndObject();
            w.WriteStartObject("regs");
            w.WriteNumber("coppa", 0);
            if (n % 2 == 0)
            {
                w.WriteString("us_privacy", "1YNN");
                if (n % 6 == 0)
                {
                    w.WriteString("gpp", UsNatGpp);
                    w.WriteStartArray("gpp_sid");
                    w.WriteNumberValue(7);
                    w.WriteEndArray();
                }
            }

            w.WriteStartObject("ext");
            w.WriteNumber("gdpr", n % 2);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject("source");
            w.WriteNumber("fd", 1);
            w.WriteString("tid", $"t{n}");
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteImp(Utf8JsonWriter w, Random random, int n, int i)
    {
        w.WriteStartObject();
        w.WriteString("id", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.WriteNumber("bidfloor", Math.Round(random.NextDouble() * 1.5, 2));
        w.WriteString("bidfloorcur", n % 4 == 0 ? "EUR" : "USD");
        switch ((n + i) % 6)
        {
            case 0 or 1 or 2:
                var size = Sizes[(n + i) % Sizes.Length];
                w.WriteStartObject("banner");
                w.WriteNumber("w", size.W);
                w.WriteNumber("h", size.H);
                w.WriteStartArray("format");
                foreach (var (fw, fh) in Sizes.Take(1 + ((n + i) % 3)))
                {
                    w.WriteStartObject();
                    w.WriteNumber("w", fw);
                    w.WriteNumber("h", fh);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
                break;
            case 3:
                w.WriteStartObject("video");
                w.WriteStartArray("mimes");
                w.WriteStringValue("video/mp4");
                w.WriteEndArray();
                w.WriteNumber("w", 640);
                w.WriteNumber("h", 480);
                w.WriteNumber("minduration", 5);
                w.WriteNumber("maxduration", 30);
                w.WriteStartArray("protocols");
                w.WriteNumberValue(2);
                w.WriteNumberValue(3);
                w.WriteEndArray();
                w.WriteEndObject();
                break;
            case 4:
                w.WriteStartObject("native");
                w.WriteString("request", """{"ver":"1.2","assets":[{"id":1,"title":{"len":90}}]}""");
                w.WriteString("ver", "1.2");
                w.WriteEndObject();
                break;
            default:
                w.WriteStartObject("audio");
                w.WriteStartArray("mimes");
                w.WriteStringValue("audio/mp4");
                w.WriteEndArray();
                w.WriteNumber("maxduration", 30);
                w.WriteEndObject();
                break;
        }

        if (n % 7 == 3)
        {
            w.WriteStartObject("pmp");
            w.WriteNumber("private_auction", 0);
            w.WriteStartArray("deals");
            w.WriteStartObject();
            w.WriteString("id", "deal-warmup");
            w.WriteNumber("bidfloor", 0.5);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static byte[] Compress(byte[] json)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(json);
        }

        return output.ToArray();
    }
}
