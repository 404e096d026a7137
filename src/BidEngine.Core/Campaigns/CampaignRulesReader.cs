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
    internal static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private static readonly string[] ListFields = ["countries", "regions", "deviceTypes", "os", "siteDomains", "appBundles", "publisherIds", "categories"];

    private static readonly string[] Days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    private static readonly string[] TargetingFields = [.. ListFields, "deals", "block"];

    private static readonly string[] BlockFields = [.. ListFields, "deals"];

    /// <summary>The rules of every campaign in a campaign file, by campaign id; read one campaign at a time.</summary>
    public static IReadOnlyDictionary<string, CampaignRules> ReadFile(Stream json, string source = "campaigns")
    {
        var rules = new Dictionary<string, CampaignRules>(StringComparer.Ordinal);
        var file = new FileValues();
        var reader = new CampaignFileReader(json, source);
        var index = 0;
        reader.CampaignsRestarted += () =>
        {
            rules.Clear();
            index = 0;
        };

        while (reader.TryReadNext(out var campaign))
        {
            var (id, campaignRules) = ReadCampaign(campaign, index++, source, file);
            rules[id] = campaignRules;
        }

        return reader.FoundCampaigns ? rules : throw new InvalidDataException($"{source}: campaigns must be an array");
    }

    /// <summary>
    /// The rules of the campaign object in <paramref name="json"/>, element <paramref name="index"/> of the
    /// file's campaigns, for a loader that reads the file one campaign at a time.
    /// </summary>
    internal static (string Id, CampaignRules Rules) ReadCampaign(ReadOnlyMemory<byte> json, int index, string source, FileValues file)
    {
        // Parsed from the campaign's own bytes: the document rents a few hundred bytes and gives them back.
        using var document = JsonDocument.Parse(json, DocumentOptions);
        return ReadCampaign(document.RootElement, index, source, file);
    }

    /// <summary>As above, for a campaign object the caller parsed.</summary>
    internal static (string Id, CampaignRules Rules) ReadCampaign(JsonElement campaign, int index, string source, FileValues file)
    {
        var id = IdOf(campaign, index, source);
        return (id, Read(campaign, id, source, file));
    }

    private static string IdOf(JsonElement campaign, int index, string source) =>
        campaign.ValueKind == JsonValueKind.Object && campaign.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()!
            : throw new InvalidDataException($"{source}: campaigns[{index}]: id must be a string");

    /// <summary>The rules of one campaign object.</summary>
    public static CampaignRules Read(JsonElement campaign, string campaignId, string source = "campaigns") => Read(campaign, campaignId, source, null);

    /// <param name="file">What the campaigns of one file share (time zones, lists, small records); null: nothing.</param>
    internal static CampaignRules Read(JsonElement campaign, string campaignId, string source, FileValues? file)
    {
        var where = new Where(source, campaignId, file?.Shared ?? CampaignInterner.Unshared);
        var zone = campaign.TryGetProperty("timeZone", out var tz) ? ReadTimeZone(tz, where, file?.Zones) : TimeZoneInfo.Utc;
        var budget = campaign.TryGetProperty("budget", out var b) ? ReadBudget(b, where) : CampaignBudget.Unlimited;
        var supplyChain = campaign.TryGetProperty("supplyChain", out var chain) ? ReadSupplyChain(chain, where) : null;
        var rules = new CampaignRules(
            campaign.TryGetProperty("currency", out var cur) ? ReadCurrency(cur, where) : "USD",
            budget,
            campaign.TryGetProperty("pacing", out var pacing) ? ReadPacing(pacing, where) : PacingMode.Even,
            campaign.TryGetProperty("frequencyCap", out var cap) ? ReadFrequencyCap(cap, where) : null,
            campaign.TryGetProperty("flight", out var flight) ? ReadFlight(flight, where) : Flight.Always,
            campaign.TryGetProperty("dayparting", out var daypart) ? ReadDayparting(daypart, where) : null,
            zone,
            campaign.TryGetProperty("targeting", out var targeting) ? ReadTargeting(targeting, where) : CampaignTargeting.Any)
        {
            SupplyChain = supplyChain,
        };

        // Shared only without a budget: equal budgets may be written 100 and 100.00, and each keeps its own.
        // (A supply-chain policy compares by reference: campaigns with one of their own keep their own rules.)
        return ReferenceEquals(budget, CampaignBudget.Unlimited) ? where.Shared.Value(rules) : rules;
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
        return CurrencyCode().IsMatch(code) ? where.Shared.String(code) : throw where.Error("currency", $"must be a three-letter ISO 4217 code in capitals (found '{code}')");
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
        return where.Shared.Value(new FrequencyCap(impressions, window, unknown));
    }

    private static Flight ReadFlight(JsonElement e, Where where)
    {
        Object(e, "flight", where, "start", "end");
        var start = Instant(e, "start", where);
        var end = Instant(e, "end", where);
        return start is { } s && end is { } t && t <= s
            ? throw where.Error("flight.end", $"must be after flight.start ({s:O})")
            : where.Shared.Value(new Flight(start, end));

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
                hours.Add(((DayOfWeek)((d + 1) % 7), IntItem(hour, field, i++, 0, 23, where)));
            }
        }

        return where.Shared.Value(new Dayparting(hours));
    }

    private static CampaignTargeting ReadTargeting(JsonElement e, Where where)
    {
        Object(e, "targeting", where, TargetingFields);
        var allow = ReadLists(e, "targeting", where);
        var block = TargetingLists.Empty;
        string[] blockedDeals = [];
        if (e.TryGetProperty("block", out var b))
        {
            Object(b, "targeting.block", where, BlockFields);
            block = ReadLists(b, "targeting.block", where);
            blockedDeals = Strings(b, "targeting.block", "deals", where, null);
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

                deals.Add(new CampaignDeal(where.Shared.String(id), floor, Strings(deal, field, "wseat", where, null)));
            }
        }

        return where.Shared.Value(new CampaignTargeting(allow, block, blockedDeals, deals.Count == 0 ? [] : deals.ToArray()));
    }

    private static TargetingLists ReadLists(JsonElement e, string prefix, Where where)
    {
        var deviceTypes = new List<int>();
        if (e.TryGetProperty("deviceTypes", out var types))
        {
            var field = prefix + ".deviceTypes";
            Array(types, field, where);
            var i = 0;
            foreach (var t in types.EnumerateArray())
            {
                deviceTypes.Add(IntItem(t, field, i++, 1, 7, where));
            }
        }

        return where.Shared.Value(new TargetingLists(
            Strings(e, prefix, "countries", where, CountryCode(), "an ISO 3166-1 alpha-3 code such as USA", upper: true),
            Strings(e, prefix, "regions", where, RegionCode(), "a country and region such as USA-CA", upper: true),
            where.Shared.Ints(deviceTypes),
            Strings(e, prefix, "os", where, null),
            Strings(e, prefix, "siteDomains", where, null),
            Strings(e, prefix, "appBundles", where, null),
            Strings(e, prefix, "publisherIds", where, null),
            Strings(e, prefix, "categories", where, Category(), "an IAB content category such as IAB19 or IAB19-18")));
    }

    /// <summary>The list <paramref name="name"/> of <paramref name="parent"/> (at <paramref name="prefix"/> in the file); field names are made only for an error.</summary>
    private static string[] Strings(JsonElement parent, string prefix, string name, Where where, Regex? shape, string? shapeText = null, bool upper = false)
    {
        if (!parent.TryGetProperty(name, out var list))
        {
            return [];
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            Array(list, $"{prefix}.{name}", where);
        }

        var values = new List<string>();
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var value = item.ValueKind == JsonValueKind.String ? item.GetString()! : String(item, $"{prefix}.{name}[{i}]", where);
            if (value.Length == 0 || (shape is not null && !shape.IsMatch(value)))
            {
                throw where.Error($"{prefix}.{name}[{i}]", $"must be {shapeText ?? "a non-empty string"} (found '{value}')");
            }

            values.Add(upper ? value.ToUpperInvariant() : value);
            i++;
        }

        return where.Shared.Strings(values);
    }

    private static string String(JsonElement e, string field, Where where) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw where.Error(field, $"must be a string (found {Kind(e)})");

    private static int Int(JsonElement parent, string name, string field, int min, int max, Where where) =>
        parent.TryGetProperty(name, out var value) ? IntValue(value, field, min, max, where) : throw where.Error(field, "is required");

    private static int IntValue(JsonElement e, string field, int min, int max, Where where) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v) && v >= min && v <= max
            ? v
            : throw where.Error(field, $"must be a whole number from {min} to {max} (found {e.GetRawText()})");

    /// <summary>As <see cref="IntValue"/> for item <paramref name="index"/> of the list <paramref name="field"/>.</summary>
    private static int IntItem(JsonElement e, string field, int index, int min, int max, Where where) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v) && v >= min && v <= max ? v : IntValue(e, $"{field}[{index}]", min, max, where);

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
            if (!IsKnown(property, known))
            {
                throw where.Error($"{field}.{property.Name}", $"is not a known field (known: {string.Join(", ", known)})");
            }
        }

        // Compares the name in place: property.Name would make a string of every name of every campaign.
        static bool IsKnown(JsonProperty property, string[] known)
        {
            foreach (var name in known)
            {
                if (property.NameEquals(name))
                {
                    return true;
                }
            }

            return false;
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

    /// <summary>What the campaigns of one file share while it is read.</summary>
    internal sealed class FileValues
    {
        /// <summary>
        /// Time zones by id: a zone's rules take kilobytes; today's runtime caches zones too, but does
        /// not promise to, so the file keeps its own.
        /// </summary>
        public Dictionary<string, TimeZoneInfo> Zones { get; } = new(StringComparer.Ordinal);

        /// <summary>Lists, strings and small records that campaigns hold alike.</summary>
        public CampaignInterner Shared { get; } = new();
    }

    /// <summary>Which campaign of which file an error is about, and where its shared values come from.</summary>
    private readonly record struct Where(string Source, string CampaignId, CampaignInterner Shared)
    {
        public InvalidDataException Error(string field, string problem) => new($"{Source}: campaign '{CampaignId}': {field} {problem}");
    }
}
