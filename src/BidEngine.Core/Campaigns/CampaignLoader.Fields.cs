using System.Text.Json;

namespace BidEngine.Core.Campaigns;

/// <summary>
/// The long-standing fields of a campaign (id, seat, adomain, cat, values, targeting countries,
/// device types and OS, creatives), read from the document the rules reader reads too, as the
/// serializer read them before: names without regard to case, the last of a repeated name wins,
/// unknown names are skipped, a value of the wrong JSON type is a <see cref="JsonException"/>, null
/// is "not given". The serializer's own per-call work was a third of loading 100,000 campaigns.
/// </summary>
public static partial class CampaignLoader
{
    private static readonly byte[][] CampaignNames = Utf8("id", "seat", "appBundle", "adomain", "cat", "valuePerClick", "maxBidCpm", "ctrPrior", "targeting", "creatives");

    /// <summary>The rules reader's names, skipped without making a string of them.</summary>
    private static readonly byte[][] RulesNames = Utf8("$schema", "currency", "budget", "pacing", "frequencyCap", "flight", "dayparting", "timeZone");

    private static readonly byte[][] TargetingNames = Utf8("countries", "deviceTypes", "os");

    private static readonly byte[][] TargetingRulesNames = Utf8("regions", "siteDomains", "appBundles", "publisherIds", "categories", "deals", "block");

    private static readonly byte[][] CreativeNames = Utf8("id", "kind", "w", "h", "adm", "nurl", "mimes", "duration");

    private static CampaignJson? ReadFields(JsonElement campaign, JsonPath at)
    {
        if (Absent(campaign, at, JsonValueKind.Object))
        {
            return null;
        }

        var c = new CampaignJson();
        foreach (var property in campaign.EnumerateObject())
        {
            var v = property.Value;
            switch (Field(property, CampaignNames, RulesNames))
            {
                case 0: c.Id = Text(v, at.Then("id")) ?? ""; break;
                case 1: c.Seat = Text(v, at.Then("seat")); break;
                case 2: c.AppBundle = Text(v, at.Then("appBundle")); break;
                case 3: c.Adomain = Texts(v, at.Then("adomain")); break;
                case 4: c.Cat = Texts(v, at.Then("cat")); break;
                case 5: c.ValuePerClick = Number(v, at.Then("valuePerClick")); break;
                case 6: c.MaxBidCpm = Number(v, at.Then("maxBidCpm")); break;
                case 7: c.CtrPrior = Number(v, at.Then("ctrPrior")); break;
                case 8: c.Targeting = ReadTargeting(v, at.Then("targeting")); break;
                case 9: c.Creatives = ReadCreatives(v, at.Then("creatives")); break;
            }
        }

        return c;
    }

    private static TargetingJson? ReadTargeting(JsonElement targeting, JsonPath at)
    {
        if (Absent(targeting, at, JsonValueKind.Object))
        {
            return null;
        }

        var t = new TargetingJson();
        foreach (var property in targeting.EnumerateObject())
        {
            var v = property.Value;
            switch (Field(property, TargetingNames, TargetingRulesNames))
            {
                case 0: t.Countries = Texts(v, at.Then("countries")); break;
                case 1: t.DeviceTypes = Integers(v, at.Then("deviceTypes")); break;
                case 2: t.Os = Texts(v, at.Then("os")); break;
            }
        }

        return t;
    }

    private static CreativeJson[]? ReadCreatives(JsonElement creatives, JsonPath at)
    {
        if (Absent(creatives, at, JsonValueKind.Array))
        {
            return null;
        }

        var read = new CreativeJson[creatives.GetArrayLength()];
        var i = 0;
        foreach (var creative in creatives.EnumerateArray())
        {
            var path = at.Item(i);
            if (Absent(creative, path, JsonValueKind.Object))
            {
                throw Wrong(path, "an object", creative);
            }

            var cr = new CreativeJson();
            foreach (var property in creative.EnumerateObject())
            {
                var v = property.Value;
                switch (Field(property, CreativeNames, []))
                {
                    case 0: cr.Id = Text(v, path.Then("id")) ?? ""; break;
                    case 1: cr.Kind = Text(v, path.Then("kind")); break;
                    case 2: cr.W = Integer(v, path.Then("w")); break;
                    case 3: cr.H = Integer(v, path.Then("h")); break;
                    case 4: cr.Adm = Text(v, path.Then("adm")); break;
                    case 5: cr.Nurl = Text(v, path.Then("nurl")); break;
                    case 6: cr.Mimes = Texts(v, path.Then("mimes")); break;
                    case 7: cr.Duration = Integer(v, path.Then("duration")); break;
                }
            }

            read[i++] = cr;
        }

        return read;
    }

    /// <summary>Which of <paramref name="names"/> the property is, compared as the file has it first and then without regard to case; -1 for none.</summary>
    private static int Field(JsonProperty property, byte[][] names, byte[][] skipped)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (property.NameEquals(names[i]))
            {
                return i;
            }
        }

        foreach (var name in skipped)
        {
            if (property.NameEquals(name))
            {
                return -1;
            }
        }

        // Another name, or one of ours in another case: the only names that become strings.
        var text = property.Name;
        for (var i = 0; i < names.Length; i++)
        {
            if (string.Equals(text, System.Text.Encoding.UTF8.GetString(names[i]), StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>True for null; throws unless the value is of <paramref name="kind"/>.</summary>
    private static bool Absent(JsonElement value, JsonPath at, JsonValueKind kind) =>
        value.ValueKind == JsonValueKind.Null || (value.ValueKind != kind ? throw Wrong(at, kind == JsonValueKind.Object ? "an object" : "an array", value) : false);

    private static string? Text(JsonElement value, JsonPath at) =>
        Absent(value, at, JsonValueKind.String) ? null : value.GetString();

    private static double Number(JsonElement value, JsonPath at) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) ? number : throw Wrong(at, "a number", value);

    private static int Integer(JsonElement value, JsonPath at) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : throw Wrong(at, "a whole number", value);

    private static string[]? Texts(JsonElement list, JsonPath at)
    {
        if (Absent(list, at, JsonValueKind.Array))
        {
            return null;
        }

        var texts = new string[list.GetArrayLength()];
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            texts[i] = item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Wrong(at.Item(i), "a string", item);
            i++;
        }

        return texts;
    }

    private static int[]? Integers(JsonElement list, JsonPath at)
    {
        if (Absent(list, at, JsonValueKind.Array))
        {
            return null;
        }

        var numbers = new int[list.GetArrayLength()];
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            numbers[i] = Integer(item, at.Item(i));
            i++;
        }

        return numbers;
    }

    private static JsonException Wrong(JsonPath at, string expected, JsonValueKind found) =>
        new($"{at}: must be {expected} (found {found.ToString().ToLowerInvariant()})");

    private static JsonException Wrong(JsonPath at, string expected, JsonElement found) => Wrong(at, expected, found.ValueKind);

    private static byte[][] Utf8(params string[] names) => [.. names.Select(System.Text.Encoding.UTF8.GetBytes)];

    /// <summary>Where a value is, made into text only for an error: <c>campaigns.json: campaigns[3].creatives[0].w</c>.</summary>
    private readonly record struct JsonPath(string Source, int Campaign, string? Field = null, int FieldItem = -1, string? Inner = null, int InnerItem = -1)
    {
        public JsonPath Then(string field) =>
            Field is null ? this with { Field = field } : this with { Inner = field };

        public JsonPath Item(int index) => Inner is null ? this with { FieldItem = index } : this with { InnerItem = index };

        public override string ToString() =>
            $"{Source}: campaigns[{Campaign}]{Part(Field, FieldItem)}{Part(Inner, InnerItem)}";

        private static string Part(string? name, int item) => name is null ? "" : item < 0 ? "." + name : $".{name}[{item}]";
    }

    private sealed class CampaignJson
    {
        public string Id { get; set; } = "";

        public string? Seat { get; set; }

        public string? AppBundle { get; set; }

        public string[]? Adomain { get; set; }

        public string[]? Cat { get; set; }

        public double ValuePerClick { get; set; }

        public double MaxBidCpm { get; set; }

        public double CtrPrior { get; set; }

        public TargetingJson? Targeting { get; set; }

        public CreativeJson[]? Creatives { get; set; }
    }

    private sealed class TargetingJson
    {
        public string[]? Countries { get; set; }

        public int[]? DeviceTypes { get; set; }

        public string[]? Os { get; set; }
    }

    private sealed class CreativeJson
    {
        public string Id { get; set; } = "";

        public string? Kind { get; set; }

        public int W { get; set; }

        public int H { get; set; }

        public string? Adm { get; set; }

        public string? Nurl { get; set; }

        public string[]? Mimes { get; set; }

        public int Duration { get; set; }
    }
}
