using System.Text.Json;
using System.Text.Json.Nodes;

namespace BidEngine.Core.Tests.CampaignFile;

/// <summary>
/// The schema beside the campaign file. No JSON Schema validator is among the allowed packages, so
/// these check what drifts: the draft, that the shipped file's and a full file's every field is
/// declared where it is used, and that the reader's new fields and the schema's agree.
/// </summary>
public sealed class SchemaTests
{
    internal static string ConfigFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, "config", name);
            if (File.Exists(file) && File.Exists(Path.Combine(dir.FullName, "BidEngine.sln")))
            {
                return file;
            }
        }

        throw new FileNotFoundException("config/" + name);
    }

    private static JsonObject Schema() => JsonNode.Parse(File.ReadAllText(ConfigFile("campaigns.schema.json")))!.AsObject();

    /// <summary>The property names a schema node declares, following $ref and allOf.</summary>
    private static HashSet<string> Declared(JsonObject root, JsonNode node)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var obj = node.AsObject();
        if (obj["$ref"] is { } reference)
        {
            names.UnionWith(Declared(root, Resolve(root, reference.GetValue<string>())));
        }

        if (obj["allOf"] is JsonArray all)
        {
            foreach (var part in all)
            {
                names.UnionWith(Declared(root, part!));
            }
        }

        if (obj["properties"] is JsonObject properties)
        {
            names.UnionWith(properties.Select(p => p.Key));
        }

        return names;
    }

    private static JsonNode Resolve(JsonObject root, string reference) =>
        reference.StartsWith("#/$defs/", StringComparison.Ordinal) ? root["$defs"]![reference["#/$defs/".Length..]]! : throw new NotSupportedException(reference);

    private static JsonNode Property(JsonObject root, JsonNode node, string name)
    {
        var obj = node.AsObject();
        if (obj["properties"]?[name] is { } direct)
        {
            return direct["$ref"] is { } r ? Resolve(root, r.GetValue<string>()) : direct;
        }

        foreach (var part in (obj["allOf"] as JsonArray ?? []).Append(obj["$ref"] is { } rr ? Resolve(root, rr.GetValue<string>()) : null))
        {
            if (part is not null && Declared(root, part).Contains(name))
            {
                return Property(root, part, name);
            }
        }

        throw new KeyNotFoundException(name);
    }

    /// <summary>Walks a document beside the schema; returns the paths of fields the schema does not declare.</summary>
    private static List<string> Undeclared(JsonObject root, JsonNode schema, JsonElement value, string path)
    {
        var missing = new List<string>();
        if (schema["$ref"] is { } reference && schema["properties"] is null && schema["items"] is null)
        {
            schema = Resolve(root, reference.GetValue<string>());
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            var declared = Declared(root, schema);
            foreach (var property in value.EnumerateObject())
            {
                if (!declared.Contains(property.Name))
                {
                    missing.Add($"{path}.{property.Name}");
                    continue;
                }

                missing.AddRange(Undeclared(root, Property(root, schema, property.Name), property.Value, $"{path}.{property.Name}"));
            }
        }
        else if (value.ValueKind == JsonValueKind.Array && schema["items"] is { } items)
        {
            foreach (var item in value.EnumerateArray())
            {
                missing.AddRange(Undeclared(root, items, item, path + "[]"));
            }
        }

        return missing;
    }

    [Fact]
    public void TheSchemaIsDraft2020_12AndClosed()
    {
        var schema = Schema();
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema["$schema"]!.GetValue<string>());
        Assert.False(schema["additionalProperties"]!.GetValue<bool>());
        Assert.False(schema["$defs"]!["campaign"]!["additionalProperties"]!.GetValue<bool>());
    }

    [Fact]
    public void EveryFieldOfTheShippedCampaignsIsDeclared()
    {
        var schema = Schema();
        using var file = JsonDocument.Parse(File.ReadAllText(ConfigFile("campaigns.json")));
        Assert.Empty(Undeclared(schema, schema, file.RootElement, "$"));
    }

    [Fact]
    public void EveryNewFieldTheReaderKnowsIsDeclared()
    {
        var schema = Schema();
        var full = """
            {"campaigns": [{"id": "x", "valuePerClick": 1, "maxBidCpm": 5, "ctrPrior": 0.01, "creatives": [],
              "currency": "EUR", "budget": {"total": 1, "daily": 1}, "pacing": "even",
              "frequencyCap": {"impressions": 1, "windowSeconds": 1, "unknownUsers": "bid"},
              "flight": {"start": "2026-01-01T00:00:00Z", "end": "2027-01-01T00:00:00Z"},
              "dayparting": {"mon": [1], "tue": [1], "wed": [1], "thu": [1], "fri": [1], "sat": [1], "sun": [1]},
              "timeZone": "UTC", "supplyChain": {"requireChain": true, "requireComplete": true, "maxHops": 2, "directOnly": false},
              "targeting": {"countries": ["USA"], "regions": ["USA-CA"], "deviceTypes": [1], "os": ["ios"], "siteDomains": ["a"],
                "appBundles": ["b"], "publisherIds": ["p"], "categories": ["IAB1"], "deals": [{"id": "d", "bidFloor": 1, "wseat": ["s"]}],
                "block": {"countries": ["USA"], "regions": ["USA-CA"], "deviceTypes": [1], "os": ["ios"], "siteDomains": ["a"],
                  "appBundles": ["b"], "publisherIds": ["p"], "categories": ["IAB1"], "deals": ["d"]}}}]}
            """;
        using var document = JsonDocument.Parse(full);
        _ = BidEngine.Core.Campaigns.CampaignRulesReader.ReadFile(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(full)));
        Assert.Empty(Undeclared(schema, schema, document.RootElement, "$"));
    }

    [Fact]
    public void AMisspeltFieldIsUndeclared()
    {
        var schema = Schema();
        using var document = JsonDocument.Parse("""{"campaigns": [{"id": "x", "budget": {"dialy": 1}, "targeting": {"block": {"countriez": []}}}]}""");
        Assert.Equal(["$.campaigns[].budget.dialy", "$.campaigns[].targeting.block.countriez"], Undeclared(schema, schema, document.RootElement, "$"));
    }
}
