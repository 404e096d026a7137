using System.IO.Hashing;
using System.Text.Json;

namespace BidEngine.Core.Campaigns;

/// <summary>Reads campaigns from their JSON file (see <c>config/campaigns.json</c>) and checks them.</summary>
public static partial class CampaignLoader
{
    public static IReadOnlyList<Campaign> LoadFile(string path) => LoadFile(path, previous: null);

    /// <param name="path">The campaign file.</param>
    /// <param name="previous">The campaigns of the set this load replaces (a reload): see <see cref="Load(Stream, string, IReadOnlyList{Campaign}?)"/>.</param>
    public static IReadOnlyList<Campaign> LoadFile(string path, IReadOnlyList<Campaign>? previous)
    {
        using var stream = File.OpenRead(path);
        return Load(stream, path, previous);
    }

    /// <summary>
    /// Reads the file one campaign at a time (<see cref="CampaignFileReader"/>), each parsed once:
    /// <see cref="ReadFields"/> for the long-standing fields, the rules reader (which names campaign and
    /// field in every error) for budgets, pacing, caps, flights and targeting. Lists, strings
    /// and markup that campaigns hold alike are kept once (<see cref="CampaignInterner"/>).
    /// </summary>
    /// <param name="previous">
    /// The campaigns of the set this load replaces (a reload), or null. A campaign whose text in the
    /// file is byte for byte what it was (the same XxHash3 of its object, and its id not taken yet) is
    /// that same object, not read again: a reload of 100,000 campaigns that changes a few makes a few,
    /// so the old and new sets share nearly everything while both are alive, and the campaign keeps
    /// its pacer.
    /// </param>
    public static IReadOnlyList<Campaign> Load(Stream json, string source = "campaigns", IReadOnlyList<Campaign>? previous = null)
    {
        var file = new CampaignRulesReader.FileValues();
        var campaigns = new List<Campaign>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unchanged = Unchanged(previous);
        var reader = new CampaignFileReader(json, source);
        reader.CampaignsRestarted += () =>
        {
            campaigns.Clear();
            seen.Clear();
        };

        while (reader.TryReadNext(out var bytes))
        {
            var hash = XxHash3.HashToUInt64(bytes.Span);
            if (unchanged is not null && unchanged.Remove(hash, out var same) && seen.Add(same.Id))
            {
                campaigns.Add(same);
                continue;
            }

            var campaign = ToCampaign(bytes, campaigns.Count, source, file, seen);
            campaign.SourceHash = hash;
            campaigns.Add(campaign);
        }

        return campaigns;
    }

    /// <summary>The campaigns of the set before, by the hash of the text they were read from.</summary>
    private static Dictionary<ulong, Campaign>? Unchanged(IReadOnlyList<Campaign>? previous)
    {
        if (previous is null || previous.Count == 0)
        {
            return null;
        }

        var byHash = new Dictionary<ulong, Campaign>(previous.Count);
        foreach (var campaign in previous)
        {
            if (campaign.SourceHash != 0)
            {
                byHash.TryAdd(campaign.SourceHash, campaign);
            }
        }

        return byHash;
    }

    private static Campaign ToCampaign(ReadOnlyMemory<byte> json, int index, string source, CampaignRulesReader.FileValues file, HashSet<string> seen)
    {
        // One parse for both readers: the document rents a few hundred bytes and gives them back.
        using var document = JsonDocument.Parse(json, CampaignRulesReader.DocumentOptions);
        var c = ReadFields(document.RootElement, new JsonPath(source, index));
        var (_, rules) = CampaignRulesReader.ReadCampaign(document.RootElement, index, source, file);
        if (c is null || string.IsNullOrWhiteSpace(c.Id) || !seen.Add(c.Id))
        {
            throw new InvalidDataException($"{source}: every campaign needs a unique id (found '{c?.Id}')");
        }

        if (c.ValuePerClick <= 0 || c.MaxBidCpm <= 0)
        {
            throw new InvalidDataException($"{Where(source, c)}: valuePerClick and maxBidCpm must be positive");
        }

        if (c.CtrPrior is <= 0 or >= 1)
        {
            throw new InvalidDataException($"{Where(source, c)}: ctrPrior must be between 0 and 1");
        }

        if (c.Creatives is null || c.Creatives.Length == 0)
        {
            throw new InvalidDataException($"{Where(source, c)}: has no creatives");
        }

        var shared = file.Shared;
        var creatives = new Creative[c.Creatives.Length];
        for (var i = 0; i < creatives.Length; i++)
        {
            creatives[i] = ToCreative(c.Creatives[i], source, c, shared);
        }

        var t = c.Targeting;
        return new Campaign(
            c.Id,
            c.Adomain ?? [],
            c.Cat ?? [],
            c.ValuePerClick,
            c.MaxBidCpm,
            c.CtrPrior,
            shared.Targeting(t?.Countries, t?.DeviceTypes, t?.Os),
            creatives,
            string.IsNullOrWhiteSpace(c.Seat) ? "bidengine" : c.Seat,
            c.AppBundle,
            rules,
            shared);
    }

    private static string Where(string source, CampaignJson c) => $"{source}: campaign '{c.Id}'";

    private static Creative ToCreative(CreativeJson cr, string source, CampaignJson campaign, CampaignInterner shared)
    {
        if (string.IsNullOrWhiteSpace(cr.Id))
        {
            throw new InvalidDataException($"{Where(source, campaign)}: a creative has no id");
        }

        var kind = cr.Kind?.ToLowerInvariant() switch
        {
            "banner" => CreativeKind.Banner,
            "video" => CreativeKind.Video,
            "audio" => CreativeKind.Audio,
            "native" => CreativeKind.Native,
            _ => throw new InvalidDataException($"{Where(source, campaign)}: creative '{cr.Id}' has kind '{cr.Kind}' (banner, video, audio or native)"),
        };

        if (kind == CreativeKind.Banner && (cr.W <= 0 || cr.H <= 0))
        {
            throw new InvalidDataException($"{Where(source, campaign)}: banner creative '{cr.Id}' needs w and h");
        }

        if (cr.Adm is null && cr.Nurl is null)
        {
            throw new InvalidDataException($"{Where(source, campaign)}: creative '{cr.Id}' needs adm or nurl");
        }

        return new Creative(cr.Id, kind, cr.W, cr.H, cr.Adm, cr.Nurl, cr.Mimes ?? [], cr.Duration, shared);
    }
}
