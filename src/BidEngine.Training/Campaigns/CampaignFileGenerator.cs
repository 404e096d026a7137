using System.Globalization;
using System.Text.Json;

namespace BidEngine.Training.Campaigns;

/// <summary>
/// Writes a campaign file of any size for tests, benchmarks and load runs: valid against
/// <c>config/campaigns.schema.json</c>, read by both CampaignLoader and CampaignRulesReader, and the
/// same bytes for the same count and seed.
///
/// Shape: a few wide campaigns (about <see cref="WideCampaigns"/> at any count: run of network or big
/// markets, several sizes) and many narrow ones, each on one creative slot, one or two countries
/// drawn evenly from <see cref="Countries"/> and one device type, a quarter of them bidding only
/// through deals. Narrow targeting is what big accounts look like (a line item per market, device
/// and format), and it is what keeps a typical request's matches at a handful as the count grows:
/// at 100,000 campaigns a US phone 300×250 request finds about 10 narrow campaigns beside the wide
/// ones (100,000 × 1/120 × 1/7 × 1/9 × 3/4), at 100 it finds the wide ones. The rest of the file
/// (budgets, pacing, caps, flights, dayparting, time zones, block lists, OS, domains, categories)
/// is mixed in at rates written beside each field.
/// </summary>
public static class CampaignFileGenerator
{
    /// <summary>How many campaigns are wide, on average, whatever the count.</summary>
    public const double WideCampaigns = 4;

    /// <summary>ISO 3166-1 alpha-3 codes narrow campaigns target, drawn evenly.</summary>
    public static readonly string[] Countries =
    [
        "USA", "CAN", "MEX", "BRA", "ARG", "CHL", "COL", "PER", "VEN", "ECU", "URY", "PRY", "BOL", "CRI", "PAN",
        "GTM", "DOM", "PRI", "JAM", "GBR", "IRL", "FRA", "DEU", "ESP", "PRT", "ITA", "NLD", "BEL", "LUX", "CHE",
        "AUT", "DNK", "NOR", "SWE", "FIN", "ISL", "POL", "CZE", "SVK", "HUN", "ROU", "BGR", "GRC", "HRV", "SVN",
        "SRB", "BIH", "ALB", "MKD", "EST", "LVA", "LTU", "UKR", "MDA", "TUR", "CYP", "MLT", "ISR", "JOR", "LBN",
        "SAU", "ARE", "QAT", "KWT", "BHR", "OMN", "EGY", "MAR", "DZA", "TUN", "NGA", "GHA", "KEN", "ETH", "TZA",
        "UGA", "ZAF", "SEN", "CIV", "CMR", "IND", "PAK", "BGD", "LKA", "NPL", "CHN", "HKG", "TWN", "KOR", "JPN",
        "MNG", "VNM", "THA", "MYS", "SGP", "IDN", "PHL", "KHM", "MMR", "LAO", "AUS", "NZL", "FJI", "PNG", "KAZ",
        "UZB", "GEO", "ARM", "AZE", "IRQ", "ZMB", "ZWE", "MOZ", "AGO", "NAM", "BWA", "RWA", "MUS", "SLV", "SWZ",
    ];

    private static readonly (string Kind, int W, int H)[] Slots =
    [
        ("banner", 300, 250), ("banner", 728, 90), ("banner", 320, 50), ("banner", 300, 600), ("banner", 160, 600),
        ("banner", 320, 480), ("video", 640, 360), ("native", 0, 0), ("audio", 0, 0),
    ];

    private static readonly string[] BigMarkets = ["USA", "GBR", "DEU", "FRA", "CAN", "JPN", "AUS", "BRA"];

    private static readonly string[] Categories = ["IAB1", "IAB2", "IAB3", "IAB5", "IAB7", "IAB8", "IAB9", "IAB12", "IAB13", "IAB17", "IAB18-3", "IAB19", "IAB19-18", "IAB20", "IAB22"];

    private static readonly string[] Currencies = ["EUR", "GBP", "JPY"];

    private static readonly string[] Days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// <summary>The file as UTF-8 bytes.</summary>
    public static byte[] Generate(int count, int seed)
    {
        using var stream = new MemoryStream();
        Write(stream, count, seed);
        return stream.ToArray();
    }

    /// <summary>Writes <paramref name="count"/> campaigns to <paramref name="output"/>, one JSON document.</summary>
    public static void Write(Stream output, int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(seed);
        var deals = Math.Max(10, count / 20);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteString("$schema", "./campaigns.schema.json");
        json.WriteStartArray("campaigns");
        for (var i = 0; i < count; i++)
        {
            var wide = random.NextDouble() < WideCampaigns / Math.Max(count, WideCampaigns);
            WriteCampaign(json, random, i, wide, deals);
            if (json.BytesPending > 1 << 16)
            {
                json.Flush();
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteCampaign(Utf8JsonWriter json, Random random, int index, bool wide, int dealPool)
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"gen-{index:D6}");
        var advertiser = string.Create(CultureInfo.InvariantCulture, $"adv{index / 8:D5}.example");
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("seat", "bidengine");
        json.WriteStartArray("adomain");
        json.WriteStringValue(advertiser);
        json.WriteEndArray();
        json.WriteStartArray("cat");
        json.WriteStringValue(Pick(random, Categories));
        json.WriteEndArray();
        if (random.NextDouble() < 0.05)
        {
            json.WriteString("appBundle", string.Create(CultureInfo.InvariantCulture, $"com.adv{index / 8:D5}.app"));
        }

        json.WriteNumber("valuePerClick", Money(random, 0.2, 4));
        json.WriteNumber("maxBidCpm", Money(random, 1, 20));
        json.WriteNumber("ctrPrior", Math.Round((decimal)(0.001 + (random.NextDouble() * 0.019)), 4));

        var countries = wide ? WideCountries(random) : NarrowCountries(random);
        WriteTargeting(json, random, wide, countries, dealPool);
        WriteCreatives(json, random, id, advertiser, wide);
        WriteSpending(json, random, countries);
        json.WriteEndObject();
    }

    private static string[] WideCountries(Random random) =>
        random.NextDouble() < 0.5 ? [] : [.. BigMarkets.OrderBy(_ => random.Next()).Take(random.Next(3, 7))];

    private static string[] NarrowCountries(Random random)
    {
        var first = Pick(random, Countries);
        if (random.NextDouble() >= 0.15)
        {
            return [first];
        }

        var second = Pick(random, Countries);
        return second == first ? [first] : [first, second];
    }

    private static void WriteTargeting(Utf8JsonWriter json, Random random, bool wide, string[] countries, int dealPool)
    {
        json.WriteStartObject("targeting");
        Strings(json, "countries", countries);
        int[] devices = wide
            ? random.NextDouble() < 0.5 ? [] : [1, 4, 5]
            : [random.Next(1, 8)];
        json.WriteStartArray("deviceTypes");
        foreach (var d in devices)
        {
            json.WriteNumberValue(d);
        }

        json.WriteEndArray();

        // OS only where the device is a phone or tablet; 30% of those name one.
        var mobile = devices is [1 or 4 or 5];
        if (mobile && random.NextDouble() < 0.3)
        {
            Strings(json, "os", [random.NextDouble() < 0.5 ? "ios" : "android"]);
        }
        else
        {
            Strings(json, "os", []);
        }

        if (countries is [var only] && random.NextDouble() < 0.1)
        {
            Strings(json, "regions", [string.Create(CultureInfo.InvariantCulture, $"{only}-{random.Next(1, 20):D2}")]);
        }

        if (random.NextDouble() < 0.05)
        {
            Strings(json, "siteDomains", [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => string.Create(CultureInfo.InvariantCulture, $"site{random.Next(2000)}.example"))]);
        }

        if (random.NextDouble() < 0.05)
        {
            Strings(json, "publisherIds", [string.Create(CultureInfo.InvariantCulture, $"pub-{random.Next(500)}")]);
        }

        if (random.NextDouble() < 0.1)
        {
            Strings(json, "categories", [Pick(random, Categories), Pick(random, Categories)]);
        }

        // A quarter of the narrow campaigns are private-marketplace line items.
        if (!wide && random.NextDouble() < 0.25)
        {
            json.WriteStartArray("deals");
            var first = random.Next(dealPool);
            var n = random.Next(1, 3);
            for (var d = 0; d < n; d++)
            {
                json.WriteStartObject();
                json.WriteString("id", string.Create(CultureInfo.InvariantCulture, $"deal-{(first + d) % dealPool:D5}"));
                json.WriteNumber("bidFloor", Money(random, 1, 10));
                if (random.NextDouble() < 0.3)
                {
                    Strings(json, "wseat", ["bidengine"]);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        WriteBlock(json, random, wide);
        json.WriteEndObject();
    }

    private static void WriteBlock(Utf8JsonWriter json, Random random, bool wide)
    {
        var countries = wide && random.NextDouble() < 0.5 ? new[] { "PRK", "IRN" } : [];
        var devices = !wide && random.NextDouble() < 0.1 ? new[] { random.Next(1, 8) } : [];
        var os = random.NextDouble() < 0.05 ? new[] { "windows" } : [];
        var domains = random.NextDouble() < 0.1 ? new[] { string.Create(CultureInfo.InvariantCulture, $"site{random.Next(2000)}.example") } : [];
        var categories = random.NextDouble() < 0.15 ? new[] { "IAB25", "IAB26" } : [];
        var deals = random.NextDouble() < 0.02 ? new[] { "deal-blocked" } : [];
        if (countries.Length + devices.Length + os.Length + domains.Length + categories.Length + deals.Length == 0)
        {
            return;
        }

        json.WriteStartObject("block");
        OptionalStrings(json, "countries", countries);
        if (devices.Length > 0)
        {
            json.WriteStartArray("deviceTypes");
            json.WriteNumberValue(devices[0]);
            json.WriteEndArray();
        }

        OptionalStrings(json, "os", os);
        OptionalStrings(json, "siteDomains", domains);
        OptionalStrings(json, "categories", categories);
        OptionalStrings(json, "deals", deals);
        json.WriteEndObject();
    }

    private static void WriteCreatives(Utf8JsonWriter json, Random random, string id, string advertiser, bool wide)
    {
        // Wide: two or three display sizes, sometimes video. Narrow: one slot, sometimes two variants of it.
        IEnumerable<int> slots = wide
            ? [.. Enumerable.Range(0, 6).OrderBy(_ => random.Next()).Take(random.Next(2, 4)), .. random.NextDouble() < 0.3 ? new[] { 6 } : []]
            : Enumerable.Repeat(random.Next(Slots.Length), random.NextDouble() < 0.2 ? 2 : 1);
        json.WriteStartArray("creatives");
        var n = 0;
        foreach (var slot in slots)
        {
            var (kind, w, h) = Slots[slot];
            var creativeId = string.Create(CultureInfo.InvariantCulture, $"{id}-{n++}");
            json.WriteStartObject();
            json.WriteString("id", creativeId);
            json.WriteString("kind", kind);
            json.WriteNumber("w", w);
            json.WriteNumber("h", h);
            switch (kind)
            {
                case "banner":
                    json.WriteString("adm", string.Create(CultureInfo.InvariantCulture, $"<a href=\"https://{advertiser}/c\"><img src=\"https://cdn.{advertiser}/{w}x{h}.png\" width=\"{w}\" height=\"{h}\"></a>"));
                    break;
                case "native":
                    json.WriteString("adm", string.Create(CultureInfo.InvariantCulture, $"{{\"native\":{{\"ver\":\"1.2\",\"assets\":[{{\"id\":1,\"title\":{{\"text\":\"{advertiser}\"}}}}],\"link\":{{\"url\":\"https://{advertiser}/n\"}}}}}}"));
                    break;
                default:
                    var video = kind == "video";
                    Strings(json, "mimes", video ? random.NextDouble() < 0.3 ? ["video/mp4", "video/webm"] : ["video/mp4"] : ["audio/mpeg"]);
                    json.WriteNumber("duration", video ? Pick(random, [6, 15, 15, 30]) : Pick(random, [15, 30]));
                    json.WriteString("nurl", string.Create(CultureInfo.InvariantCulture, $"https://ads.bidengine.example/{kind}/{creativeId}.xml?price=${{AUCTION_PRICE}}"));
                    break;
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteSpending(Utf8JsonWriter json, Random random, string[] countries)
    {
        if (random.NextDouble() < 0.15)
        {
            json.WriteString("currency", Pick(random, Currencies));
        }

        // 80% daily, 50% total; the rest unlimited on that side.
        var daily = random.NextDouble() < 0.8;
        var total = random.NextDouble() < 0.5;
        if (daily || total)
        {
            json.WriteStartObject("budget");
            if (total)
            {
                json.WriteNumber("total", Math.Round((decimal)(1000 + (random.NextDouble() * 99_000)), 0));
            }

            if (daily)
            {
                json.WriteNumber("daily", Math.Round((decimal)(50 + (random.NextDouble() * 4950)), 0));
            }

            json.WriteEndObject();
        }

        var pacing = random.NextDouble();
        if (pacing < 0.2)
        {
            json.WriteString("pacing", "asap");
        }
        else if (pacing < 0.5)
        {
            json.WriteString("pacing", "even");
        }

        if (random.NextDouble() < 0.4)
        {
            json.WriteStartObject("frequencyCap");
            json.WriteNumber("impressions", random.Next(1, 11));
            json.WriteNumber("windowSeconds", Pick(random, [3600, 86_400, 604_800]));
            json.WriteString("unknownUsers", random.NextDouble() < 0.7 ? "bid" : "skip");
            json.WriteEndObject();
        }

        // Flights: most running now (started in 2025, ending 2027-2028), a few not started until 2030.
        var flight = random.NextDouble();
        if (flight < 0.3)
        {
            json.WriteStartObject("flight");
            json.WriteString("start", new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(random.Next(365)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            if (random.NextDouble() < 0.7)
            {
                json.WriteString("end", new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(random.Next(730)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            }

            json.WriteEndObject();
        }
        else if (flight < 0.33)
        {
            json.WriteStartObject("flight");
            json.WriteString("start", "2030-01-01T00:00:00Z");
            json.WriteEndObject();
        }

        if (random.NextDouble() < 0.15)
        {
            // Business hours on weekdays, or evenings every day.
            var evenings = random.NextDouble() < 0.5;
            json.WriteStartObject("dayparting");
            for (var d = 0; d < Days.Length; d++)
            {
                if (!evenings && d >= 5)
                {
                    continue;
                }

                json.WriteStartArray(Days[d]);
                for (var h = evenings ? 18 : 8; h <= (evenings ? 23 : 18); h++)
                {
                    json.WriteNumberValue(h);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        if (random.NextDouble() < 0.6)
        {
            json.WriteString("timeZone", ZoneOf(countries));
        }
    }

    private static string ZoneOf(string[] countries) => countries.FirstOrDefault() switch
    {
        "USA" => "America/New_York",
        "CAN" => "America/Toronto",
        "MEX" => "America/Mexico_City",
        "BRA" => "America/Sao_Paulo",
        "GBR" or "IRL" => "Europe/London",
        "DEU" or "AUT" or "CHE" or "NLD" or "BEL" or "POL" or "CZE" => "Europe/Berlin",
        "FRA" or "ESP" or "ITA" => "Europe/Paris",
        "JPN" => "Asia/Tokyo",
        "KOR" => "Asia/Seoul",
        "IND" => "Asia/Kolkata",
        "AUS" => "Australia/Sydney",
        "SGP" or "MYS" => "Asia/Singapore",
        _ => "UTC",
    };

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void OptionalStrings(Utf8JsonWriter json, string name, string[] values)
    {
        if (values.Length > 0)
        {
            Strings(json, name, values);
        }
    }

    private static decimal Money(Random random, double min, double max) => Math.Round((decimal)(min + (random.NextDouble() * (max - min))), 2);

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];
}
