using System.Text.Json;
using System.Text.Json.Serialization;

namespace BidEngine.LoadTests.Thresholds;

/// <summary>loadtests/loadtest.thresholds.json: one <see cref="ThresholdSet"/> per scenario name.</summary>
public sealed record ThresholdsFile
{
    public Dictionary<string, ThresholdSet> Scenarios { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static ThresholdsFile Parse(string json)
    {
        var file = JsonSerializer.Deserialize<ThresholdsFile>(json, Options)
            ?? throw new JsonException("The thresholds file is empty.");
        return file with { Scenarios = new Dictionary<string, ThresholdSet>(file.Scenarios, StringComparer.OrdinalIgnoreCase) };
    }

    public static ThresholdsFile Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    public ThresholdSet For(string scenario) => Scenarios.TryGetValue(scenario, out var set) ? set : new ThresholdSet();
}
