using System.Text.Json;
using System.Text.Json.Serialization;

namespace BidEngine.Core.Campaigns;

/// <summary>Reads campaigns from their JSON file (see <c>config/campaigns.json</c>) and checks them.</summary>
public static class CampaignLoader
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static IReadOnlyList<Campaign> LoadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    public static IReadOnlyList<Campaign> Load(Stream json, string source = "campaigns")
    {
        // Read twice: the serializer for the long-standing fields, the rules reader (which names
        // campaign and field in every error) for budgets, pacing, caps, flights and targeting.
        using var buffer = new MemoryStream();
        json.CopyTo(buffer);
        buffer.Position = 0;
        var file = JsonSerializer.Deserialize<CampaignFile>(buffer, Options)
            ?? throw new InvalidDataException($"{source}: empty campaign file");
        buffer.Position = 0;
        var rules = file.Campaigns is { Count: > 0 } ? CampaignRulesReader.ReadFile(buffer, source) : new Dictionary<string, CampaignRules>();
        var campaigns = new List<Campaign>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in file.Campaigns ?? [])
        {
            var where = $"{source}: campaign '{c.Id}'";
            if (string.IsNullOrWhiteSpace(c.Id) || !seen.Add(c.Id))
            {
                throw new InvalidDataException($"{source}: every campaign needs a unique id (found '{c.Id}')");
            }

            if (c.ValuePerClick <= 0 || c.MaxBidCpm <= 0)
            {
                throw new InvalidDataException($"{where}: valuePerClick and maxBidCpm must be positive");
            }

            if (c.CtrPrior is <= 0 or >= 1)
            {
                throw new InvalidDataException($"{where}: ctrPrior must be between 0 and 1");
            }

            if (c.Creatives is null || c.Creatives.Count == 0)
            {
                throw new InvalidDataException($"{where}: has no creatives");
            }

            var creatives = c.Creatives.Select(cr => ToCreative(cr, where)).ToArray();
            var t = c.Targeting ?? new TargetingJson();
            campaigns.Add(new Campaign(
                c.Id,
                c.Adomain ?? [],
                c.Cat ?? [],
                c.ValuePerClick,
                c.MaxBidCpm,
                c.CtrPrior,
                new Targeting(t.Countries ?? [], t.DeviceTypes ?? [], t.Os ?? []),
                creatives,
                string.IsNullOrWhiteSpace(c.Seat) ? "bidengine" : c.Seat,
                c.AppBundle,
                rules.GetValueOrDefault(c.Id, CampaignRules.Default)));
        }

        return campaigns;
    }

    private static Creative ToCreative(CreativeJson cr, string where)
    {
        if (string.IsNullOrWhiteSpace(cr.Id))
        {
            throw new InvalidDataException($"{where}: a creative has no id");
        }

        var kind = cr.Kind?.ToLowerInvariant() switch
        {
            "banner" => CreativeKind.Banner,
            "video" => CreativeKind.Video,
            "audio" => CreativeKind.Audio,
            "native" => CreativeKind.Native,
            _ => throw new InvalidDataException($"{where}: creative '{cr.Id}' has kind '{cr.Kind}' (banner, video, audio or native)"),
        };

        if (kind == CreativeKind.Banner && (cr.W <= 0 || cr.H <= 0))
        {
            throw new InvalidDataException($"{where}: banner creative '{cr.Id}' needs w and h");
        }

        if (cr.Adm is null && cr.Nurl is null)
        {
            throw new InvalidDataException($"{where}: creative '{cr.Id}' needs adm or nurl");
        }

        return new Creative(cr.Id, kind, cr.W, cr.H, cr.Adm, cr.Nurl, cr.Mimes ?? [], cr.Duration);
    }

    private sealed class CampaignFile
    {
        public List<CampaignJson>? Campaigns { get; set; }
    }

    private sealed class CampaignJson
    {
        public string Id { get; set; } = "";

        public string? Seat { get; set; }

        public string? AppBundle { get; set; }

        public List<string>? Adomain { get; set; }

        public List<string>? Cat { get; set; }

        public double ValuePerClick { get; set; }

        public double MaxBidCpm { get; set; }

        public double CtrPrior { get; set; }

        public TargetingJson? Targeting { get; set; }

        public List<CreativeJson>? Creatives { get; set; }
    }

    private sealed class TargetingJson
    {
        public List<string>? Countries { get; set; }

        public List<int>? DeviceTypes { get; set; }

        public List<string>? Os { get; set; }
    }

    private sealed class CreativeJson
    {
        public string Id { get; set; } = "";

        public string? Kind { get; set; }

        public int W { get; set; }

        public int H { get; set; }

        public string? Adm { get; set; }

        public string? Nurl { get; set; }

        public List<string>? Mimes { get; set; }

        [JsonPropertyName("duration")]
        public int Duration { get; set; }
    }
}
