using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;

namespace BidEngine.LoadTests.Corpus;

/// <summary>
/// Varied OpenRTB 2.6 bid requests from a seed: banner sizes, video, 1-4 imps, eight geos (alpha-3),
/// device types, OSes, site or app, floors 0-2 USD, tmax 50-1000 ms or absent, some bodies gzipped.
/// The same seed gives the same bytes, so a run can be repeated request for request.
/// </summary>
public sealed class RequestGenerator
{
    private static readonly (int W, int H)[] BannerSizes = [(300, 250), (728, 90), (320, 50), (300, 600), (160, 600)];
    private static readonly string[] Countries = ["USA", "GBR", "DEU", "FRA", "CAN", "BRA", "IND", "JPN"];
    private static readonly string[] Languages = ["en", "en", "de", "fr", "en", "pt", "hi", "ja"];
    private static readonly int[] DeviceTypes = [1, 2, 4, 5];
    private static readonly string[] Domains = ["news.example.com", "sports.example.org", "recipes.example.net", "weather.example.com", "games.example.io"];
    private static readonly string[] Bundles = ["com.example.puzzle", "com.example.news", "com.example.runner", "com.example.chat"];
    private static readonly string[] Categories = ["IAB1", "IAB2", "IAB3", "IAB9", "IAB12", "IAB17", "IAB19"];

    private readonly RequestGeneratorOptions _options;
    private readonly Random _random;
    private int _next;

    public RequestGenerator(RequestGeneratorOptions options)
    {
        _options = options;
        _random = new Random(options.Seed);
    }

    public List<PreparedRequest> Generate(int count)
    {
        var list = new List<PreparedRequest>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(Next());
        }

        return list;
    }

    public PreparedRequest Next()
    {
        var n = _next++;
        int? tmax = _random.NextDouble() < _options.NoTmaxRatio
            ? null
            : _options.TmaxValues[_random.Next(_options.TmaxValues.Count)];
        var json = WriteRequest(n, tmax);
        var gzip = _random.NextDouble() < _options.GzipRatio;
        return new PreparedRequest($"gen-{_options.Seed}-{n}", gzip ? Compress(json) : json, gzip, tmax);
    }

    private byte[] WriteRequest(int n, int? tmax)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var w = new Utf8JsonWriter(buffer);
        var r = _random;
        var geo = r.Next(Countries.Length);
        var deviceType = DeviceTypes[r.Next(DeviceTypes.Length)];
        var os = deviceType == 2 ? "Windows" : (r.Next(2) == 0 ? "iOS" : "Android");
        var isApp = deviceType != 2 && r.NextDouble() < _options.AppRatio;
        var impCount = 1 + r.Next(4);

        w.WriteStartObject();
        w.WriteString("id", $"gen-{_options.Seed}-{n}");
        w.WriteStartArray("imp");
        for (var i = 0; i < impCount; i++)
        {
            w.WriteStartObject();
            w.WriteString("id", (i + 1).ToString(CultureInfo.InvariantCulture));
            if (r.NextDouble() < _options.VideoRatio)
            {
                w.WriteStartObject("video");
                w.WriteStartArray("mimes");
                w.WriteStringValue("video/mp4");
                w.WriteStringValue("video/webm");
                w.WriteEndArray();
                w.WriteNumber("minduration", 5);
                w.WriteNumber("maxduration", r.Next(2) == 0 ? 15 : 30);
                w.WriteStartArray("protocols");
                foreach (var p in (ReadOnlySpan<int>)[2, 3, 5, 6, 7, 8])
                {
                    w.WriteNumberValue(p);
                }

                w.WriteEndArray();
                w.WriteNumber("w", 640);
                w.WriteNumber("h", 360);
                w.WriteNumber("plcmt", 1 + r.Next(4));
                w.WriteNumber("linearity", 1);
                w.WriteEndObject();
            }
            else
            {
                var (bw, bh) = BannerSizes[r.Next(BannerSizes.Length)];
                w.WriteStartObject("banner");
                w.WriteNumber("w", bw);
                w.WriteNumber("h", bh);
                w.WriteStartArray("format");
                w.WriteStartObject();
                w.WriteNumber("w", bw);
                w.WriteNumber("h", bh);
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteNumber("pos", r.Next(2) == 0 ? 1 : 3);
                w.WriteEndObject();
            }

            w.WriteNumber("bidfloor", Math.Round(r.NextDouble() * 2, 2));
            w.WriteString("bidfloorcur", "USD");
            w.WriteNumber("secure", 1);
            w.WriteString("tagid", $"slot-{r.Next(1000)}");
            w.WriteEndObject();
        }

        w.WriteEndArray();

        var publisher = $"pub-{r.Next(50)}";
        if (isApp)
        {
            var bundle = Bundles[r.Next(Bundles.Length)];
            w.WriteStartObject("app");
            w.WriteString("id", $"app-{bundle}");
            w.WriteString("bundle", bundle);
            w.WriteString("storeurl", $"https://store.example.com/{bundle}");
            WriteCategories(w, r);
            w.WriteStartObject("publisher");
            w.WriteString("id", publisher);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        else
        {
            var domain = Domains[r.Next(Domains.Length)];
            w.WriteStartObject("site");
            w.WriteString("id", $"site-{domain}");
            w.WriteString("domain", domain);
            w.WriteString("page", $"https://{domain}/article/{r.Next(100000)}");
            WriteCategories(w, r);
            w.WriteStartObject("publisher");
            w.WriteString("id", publisher);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteStartObject("device");
        w.WriteString("ua", os switch
        {
            "iOS" => "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
            "Android" => "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36",
            _ => "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
        });
        w.WriteString("ip", $"203.0.113.{r.Next(1, 255)}");
        w.WriteNumber("devicetype", deviceType);
        w.WriteString("os", os);
        w.WriteString("osv", os switch { "iOS" => "17.4", "Android" => "14", _ => "10" });
        w.WriteString("language", Languages[geo]);
        w.WriteNumber("connectiontype", 2);
        w.WriteStartObject("geo");
        w.WriteString("country", Countries[geo]);
        w.WriteNumber("type", 2);
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartObject("user");
        w.WriteString("id", $"user-{r.Next(1_000_000)}");
        w.WriteEndObject();

        w.WriteNumber("at", r.Next(4) == 0 ? 2 : 1);
        if (tmax is int t)
        {
            w.WriteNumber("tmax", t);
        }

        w.WriteStartArray("cur");
        w.WriteStringValue("USD");
        w.WriteEndArray();
        w.WriteStartObject("source");
        w.WriteString("tid", $"tid-{_options.Seed}-{n}");
        w.WriteEndObject();
        w.WriteStartObject("regs");
        w.WriteNumber("coppa", 0);
        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteCategories(Utf8JsonWriter w, Random r)
    {
        w.WriteStartArray("cat");
        w.WriteStringValue(Categories[r.Next(Categories.Length)]);
        w.WriteEndArray();
    }

    public static byte[] Compress(byte[] json)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(json);
        }

        return ms.ToArray();
    }
}
