using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BidEngine.Training.Tests.Campaigns;

/// <summary>
/// The parts of JSON Schema that config/campaigns.schema.json uses, enough to check a generated
/// file against it (no validator package is allowed): properties and what is declared through
/// $ref and allOf, required, enum, const-free type checks of strings and numbers, pattern, minimum,
/// maximum and exclusiveMinimum. Returns each problem as "path: what".
/// </summary>
internal sealed class SchemaCheck
{
    private readonly JsonObject _root;

    private SchemaCheck(JsonObject root) => _root = root;

    public static List<string> Problems(JsonElement document)
    {
        var root = JsonNode.Parse(File.ReadAllText(RepositoryFile("config", "campaigns.schema.json")))!.AsObject();
        var problems = new List<string>();
        new SchemaCheck(root).Check(root, document, "$", problems);
        return problems;
    }

    public static string RepositoryFile(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BidEngine.sln")))
            {
                return Path.Combine([dir.FullName, .. parts]);
            }
        }

        throw new FileNotFoundException(string.Join('/', parts));
    }

    private JsonObject Resolve(JsonNode node)
    {
        var obj = node.AsObject();
        return obj["$ref"] is { } r ? Resolve(_root["$defs"]![r.GetValue<string>()["#/$defs/".Length..]]!) : obj;
    }

    /// <summary>The schema node and every node it pulls in through allOf.</summary>
    private IEnumerable<JsonObject> Parts(JsonNode node)
    {
        var obj = Resolve(node);
        yield return obj;
        foreach (var part in obj["allOf"] as JsonArray ?? [])
        {
            foreach (var inner in Parts(part!))
            {
                yield return inner;
            }
        }
    }

    private void Check(JsonNode schema, JsonElement value, string path, List<string> problems)
    {
        var parts = Parts(schema).ToList();
        foreach (var part in parts)
        {
            if (part["enum"] is JsonArray options && !options.Any(o => o!.ToJsonString() == value.GetRawText()))
            {
                problems.Add($"{path}: {value.GetRawText()} is not one of {options.ToJsonString()}");
            }

            if (part["pattern"] is { } pattern && (value.ValueKind != JsonValueKind.String || !Regex.IsMatch(value.GetString()!, pattern.GetValue<string>())))
            {
                problems.Add($"{path}: {value.GetRawText()} does not match {pattern}");
            }

            if (part["type"]?.GetValue<string>() is { } type && !IsType(value, type))
            {
                problems.Add($"{path}: {value.GetRawText()} is not {type}");
            }

            if (value.ValueKind == JsonValueKind.Number)
            {
                var number = value.GetDouble();
                if ((part["minimum"] is { } min && number < min.GetValue<double>())
                    || (part["maximum"] is { } max && number > max.GetValue<double>())
                    || (part["exclusiveMinimum"] is { } xmin && number <= xmin.GetValue<double>()))
                {
                    problems.Add($"{path}: {number} is out of range");
                }
            }

            foreach (var required in part["required"] as JsonArray ?? [])
            {
                if (value.ValueKind == JsonValueKind.Object && !value.TryGetProperty(required!.GetValue<string>(), out _))
                {
                    problems.Add($"{path}: {required} is required");
                }
            }
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                var declared = parts.Select(p => p["properties"]?[property.Name]).FirstOrDefault(p => p is not null);
                if (declared is null)
                {
                    problems.Add($"{path}.{property.Name}: not declared");
                    continue;
                }

                Check(declared, property.Value, $"{path}.{property.Name}", problems);
            }
        }
        else if (value.ValueKind == JsonValueKind.Array && parts.Select(p => p["items"]).FirstOrDefault(i => i is not null) is { } items)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(items, item, $"{path}[{i++}]", problems);
            }
        }
    }

    private static bool IsType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        _ => true,
    };
}
