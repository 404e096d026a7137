using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BidEngine.Core.Budgets;

namespace BidEngine.Core.Campaigns;

/// <summary>
/// Reads the spending and targeting fields of a campaign (budget, currency, pacing, frequencyCap,
/// flight, dayparting, timeZone, targeting lists and deals, supplyChain) from the campaign file, for the loader
/// to call beside its own reading. Every error is an <see cref="InvalidDataException"/> that names
/// the source, the campaign and the field path (<c>campaigns.json: campaign 'x': budget.daily must
/// be a positive number (found -5)</c>). Names are matched exactly (camelCase, as the schema in
/// <c>config/campaigns.schema.json</c> has them), and unknown names inside these objects are errors,
/// so that a misspelt limit cannot pass as no limit.
/// </summary>
public static partial class CampaignRulesReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private static readonly string[] ListFields = ["countries", "regions", "deviceTypes", "os", "siteDomains", "appBundles", "publisherIds", "categories"];

    private static readonly string[] Days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// <summary>The rules of every campaign in a campaign file, by campaign id.</summary>
    public static IReadOnlyDictionary<string, CampaignRules> ReadFile(Stream json, string source = "campaigns")
    {
        using var document = JsonDocument.Parse(json, DocumentOptions);
        if (!document.RootElement.TryGetProperty("campaigns", out var campaigns) || campaigns.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{source}: campaigns must be an array");
        }

        var rules = new Dictionary<string, CampaignRules>(StringComparer.Ordinal);

        // Campaigns of one file share TimeZoneInfo instances (a zone's rules take kilobytes); today's runtime
        // caches zones too, but does not promise to, so the file keeps its own.
        var zones = new Dictionary<string, TimeZoneInfo>(StringComparer.Ordinal);
        var index = 0;
        foreach (var campaign in campaigns.EnumerateArray())
        {
            var id = campaign.ValueKind == JsonValueKind.Object && campaign.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String
                ? idElement.GetString()!
                : throw new InvalidDataException($"{source}: campaigns[{index}]: id must be a string");
            rules[id] = Read(campaign, id, source, zones);
            index++;
        }

        return rules;
    }

    /// <summary>The rules of one campaign object.</summary>
    public static CampaignRules Read(JsonElement campaign, string campaignId, string source = "campaigns") => Read(campaign, campaignId, source, null);

    /// <param name="zones">Time zones already found, by id, to share between the campaigns of one file.</param>
    private static CampaignRules Read(JsonElement campaign, string campaignId, string source, Dictionary<string, TimeZoneInfo>? zones)
    {
        var where = new Where(source, campaignId);
        var zone = campaign.TryGetProperty("timeZone", out var tz) ? ReadTimeZone(tz, where, zones) : TimeZoneInfo.Utc;
        var supplyChain = campaign.TryGetProperty("supplyChain", out var chain) ? ReadSupplyChain(chain, where) : null;
        return new CampaignRules(
            campaign.TryGetProperty("currency", out var cur) ? ReadCurrency(cur, where) : "USD",
            campaign.TryGetProperty("budget", out var budget) ? ReadBudget(budget, where) : CampaignBudget.Unlimited,
            campaign.TryGetProperty("pacing", out var pacing) ? ReadPacing(pacing, where) : PacingMode.Even,
            campaign.TryGetProperty("frequencyCap", out var cap) ? ReadFrequencyCap(cap, where) : null,
            campaign.TryGetProperty("flight", out var flight) ? ReadFlight(flight, where) : Flight.Always,
            campaign.TryGetProperty("dayparting", out var daypart) ? ReadDayparting(daypart, where) : null,
            zone,
            campaign.TryGetProperty("targeting", out var targeting) ? ReadTargeting(targeting, where) : CampaignTargeting.Any)
        {
            SupplyChain = supplyChain,
        };
    }

    private static Supply.SupplyChainPolicy? ReadSupplyChain(JsonElement e, Where where)
    {
        Object(e, "supplyChain", where, "requireChain", "requireComplete", "maxHops", "directOnly");
        var policy = new Supply.SupplyChainPolicy
        {
            RequireChain = Bool(e, "requireChain", "supplyChain.requireChain", where),
            RequireComplete = Bool(e, "requireComplete", "supplyChain.requireComplete", where),
            MaxHops = e.TryGetProperty("maxHops", out var hops) ? IntValue(hops, "supplyChain.maxHops", 1, Supply.SupplyChainPolicy.MaxHopsLimit, where) : 0,
            DirectOnly = Bool(e, "directOnly", "supplyChain.directOnly", where),
        };
        return policy.AcceptsAll ? null : policy;

        static bool Bool(JsonElement parent, string name, string field, Where where) =>
            parent.TryGetProperty(name, out var value)
                && (value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw where.Error(field, $"must be true or false (found {value.GetRawText()})"));
    }

    private static string ReadCurrency(JsonElement e, Where where)
    {
        var code = String(e, "currency", where);
        return CurrencyCode().IsMatch(code) ? code : throw where.Error("currency", $"must be a three-letter ISO 4217 code in capitals (found '{code}')");
    }

    private static TimeZoneInfo ReadTimeZone(JsonElement e, Where where, Dictionary<string, TimeZoneInfo>? zones)
    {
        var id = String(e, "timeZone", where);
        if (zones is not null && zones.TryGetValue(id, out var known))
        {
            return known;
        }

        try
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            zones?.Add(id, zone);
            return zone;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw where.Error("timeZone", $"must be an IANA time zone such as 'Europe/Berlin' (found '{id}')");
        }
    }

    private static CampaignBudget ReadBudget(JsonElement e, Where where)
    {
        Object(e, "budget", where, "total", "daily");
        return new CampaignBudget(Amount(e, "total", "budget.total", where), Amount(e, "daily", "budget.daily", where));

        static decimal? Amount(JsonElement budget, string name, string field, Where where)
        {
            if (!budget.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var amount) || amount <= 0 || amount > Money.MaxBudgetUnits)
            {
                throw where.Error(field, $"must be a positive number up to {Money.MaxBudgetUnits:N0} (found {value.GetRawText()})");
            }

            return amount;
        }
    }

    private static PacingMode ReadPacing(JsonElement e, Where where) => String(e, "pacing", where) switch
    {
        "even" => PacingMode.Even,
        "asap" => PacingMode.Asap,
        var other => throw where.Error("pacing", $"must be \"even\" or \"asap\" (found '{other}')"),
    };

    private static FrequencyCap ReadFrequencyCap(JsonElement e, Where where)
    {
        Object(e, "frequencyCap", where, "impressions", "windowSeconds", "unknownUsers");
        var impressions = Int(e, "impressions", "frequencyCap.impressions", 1, FrequencyCap.MaxImpressions, where);
        var window = Int(e, "windowSeconds", "frequencyCap.windowSeconds", 1, FrequencyCap.MaxWindowSeconds, where);
        var unknown = e.TryGetProperty("unknownUsers", out var u)
            ? String(u, "frequencyCap.unknownUsers", where) switch
            {
                "bid" => UnknownUserPolicy.Bid,
                "skip" => UnknownUserPolicy.Skip,
                var other => throw where.Error("frequencyCap.unknownUsers", $"must be \"bid\" or \"skip\" (found '{other}')"),
            }
            : UnknownUserPolicy.Bid;
        return new FrequencyCap(impressions, window, unknown);
    }

    private static Flight ReadFlight(JsonElement e, Where where)
    {
        Object(e, "flight", where, "start", "end");
        var start = Instant(e, "start", where);
        var end = Instant(e, "end", where);
        return start is { } s && end is { } t && t <= s
            ? throw where.Error("flight.end", $"must be after flight.start ({s:O})")
            : new Flight(start, end);

        static DateTimeOffset? Instant(JsonElement flight, string name, Where where)
        {
            if (!flight.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            var text = String(value, "flight." + name, where);
            // An offset is required: a flight date without one would mean a different instant on every host.
            return OffsetDateTime().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
                ? instant.ToUniversalTime()
                : throw where.Error("flight." + name, $"must be an ISO 8601 date-time with an offset, such as 2026-12-01T00:00:00Z (found '{text}')");
        }
    }

    private static Dayparting ReadDayparting(JsonElement e, Where where)
    {
        Object(e, "dayparting", where, Days);
        var hours = new List<(DayOfWeek, int)>();
        for (var d = 0; d < Days.Length; d++)
        {
            if (!e.TryGetProperty(Days[d], out var list))
            {
                continue;
            }

            var field = "dayparting." + Days[d];
            Array(list, field, where);
            var i = 0;
            foreach (var hour in list.EnumerateArray())
            {
                hours.Add(((DayOfWeek)((d + 1) % 7), IntValue(hour, $"{field}[{i++}]", 0, 23, where)));
            }
        }

        return new Dayparting(hours);
    }

    private static CampaignTargeting ReadTargeting(JsonElement e, Where where)
    {
        Object(e, "targeting", where, [.. ListFields, "deals", "block"]);
        var allow = ReadLists(e, "targeting", where);
        var block = TargetingLists.Empty;
        IReadOnlyList<string> blockedDeals = [];
        if (e.TryGetProperty("block", out var b))
        {
            Object(b, "targeting.block", where, [.. ListFields, "deals"]);
            block = ReadLists(b, "targeting.block", where);
            blockedDeals = Strings(b, "deals", "targeting.block.deals", where, null);
        }

        var deals = new List<CampaignDeal>();
        if (e.TryGetProperty("deals", out var list))
        {
            Array(list, "targeting.deals", where);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var i = 0;
            foreach (var deal in list.EnumerateArray())
            {
                var field = $"targeting.deals[{i++}]";
                Object(deal, field, where, "id", "bidFloor", "wseat");
                var id = deal.TryGetProperty("id", out var idElement) ? String(idElement, field + ".id", where) : throw where.Error(field + ".id", "is required");
                if (id.Length == 0 || !seen.Add(id))
                {
                    throw where.Error(field + ".id", $"must be a unique, non-empty deal id (found '{id}')");
                }

                decimal? floor = null;
                if (deal.TryGetProperty("bidFloor", out var f))
                {
                    floor = f.ValueKind == JsonValueKind.Number && f.TryGetDecimal(out var v) && v >= 0
                        ? v
                        : throw where.Error(field + ".bidFloor", $"must be a CPM of zero or more (found {f.GetRawText()})");
                }

                deals.Add(new CampaignDeal(id, floor, Strings(deal, "wseat", field + ".wseat", where, null)));
            }
        }

        return new CampaignTargeting(allow, block, blockedDeals, deals);
    }

    private static TargetingLists ReadLists(JsonElement e, string prefix, Where where)
    {
        var deviceTypes = new List<int>();
        if (e.TryGetProperty("deviceTypes", out var types))
        {
            Array(types, prefix + ".deviceTypes", where);
            var i = 0;
            foreach (var t in types.EnumerateArray())
            {
                deviceTypes.Add(IntValue(t, $"{prefix}.deviceTypes[{i++}]", 1, 7, where));
            }
        }

        return new TargetingLists(
            Strings(e, "countries", prefix + ".countries", where, CountryCode(), "an ISO 3166-1 alpha-3 code such as USA", upper: true),
            Strings(e, "regions", prefix + ".regions", where, RegionCode(), "a country and region such as USA-CA", upper: true),
            deviceTypes,
            Strings(e, "os", prefix + ".os", where, null),
            Strings(e, "siteDomains", prefix + ".siteDomains", where, null),
            Strings(e, "appBundles", prefix + ".appBundles", where, null),
            Strings(e, "publisherIds", prefix + ".publisherIds", where, null),
            Strings(e, "categories", prefix + ".categories", where, Category(), "an IAB content category such as IAB19 or IAB19-18"));
    }

    private static string[] Strings(JsonElement parent, string name, string field, Where where, Regex? shape, string? shapeText = null, bool upper = false)
    {
        if (!parent.TryGetProperty(name, out var list))
        {
            return [];
        }

        Array(list, field, where);
        var values = new List<string>();
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var itemField = $"{field}[{i++}]";
            var value = String(item, itemField, where);
            if (value.Length == 0 || (shape is not null && !shape.IsMatch(value)))
            {
                throw where.Error(itemField, $"must be {shapeText ?? "a non-empty string"} (found '{value}')");
            }

            values.Add(upper ? value.ToUpperInvariant() : value);
        }

        return [.. values];
    }

    private static string String(JsonElement e, string field, Where where) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw where.Error(field, $"must be a string (found {Kind(e)})");

    private static int Int(JsonElement parent, string name, string field, int min, int max, Where where) =>
        parent.TryGetProperty(name, out var value) ? IntValue(value, field, min, max, where) : throw where.Error(field, "is required");

    private static int IntValue(JsonElement e, string field, int min, int max, Where where) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v) && v >= min && v <= max
            ? v
            : throw where.Error(field, $"must be a whole number from {min} to {max} (found {e.GetRawText()})");

    private static void Array(JsonElement e, string field, Where where)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            throw where.Error(field, $"must be an array (found {Kind(e)})");
        }
    }

    private static void Object(JsonElement e, string field, Where where, params string[] known)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw where.Error(field, $"must be an object (found {Kind(e)})");
        }

        foreach (var property in e.EnumerateObject())
        {
            if (System.Array.IndexOf(known, property.Name) < 0)
            {
                throw where.Error($"{field}.{property.Name}", $"is not a known field (known: {string.Join(", ", known)})");
            }
        }
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.String => "a string",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyCode();

    [GeneratedRegex("^[A-Za-z]{3}$")]
    private static partial Regex CountryCode();

    [GeneratedRegex("^[A-Za-z]{3}-[A-Za-z0-9]{1,3}$")]
    private static partial Regex RegionCode();

    [GeneratedRegex("^IAB[0-9]{1,2}(-[0-9]{1,2})?$")]
    private static partial Regex Category();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex OffsetDateTime();

    /// <summary>Which campaign of which file an error is about.</summary>
    private readonly record struct Where(string Source, string CampaignId)
    {
        public InvalidDataException Error(string field, string problem) => new($"{Source}: campaign '{CampaignId}': {field} {problem}");
    }
}
