using System.Text;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Candidates;

namespace BidEngine.Benchmarks.Candidates;

/// <summary>
/// One (campaign, creative) entry with its targeting compiled for the request path: country keys as
/// ints, the rest as UTF-8. Both the index's follow-up checks and the linear scan read these, so
/// the two sides differ only in how the entries are found.
/// </summary>
internal sealed class EntryRules
{
    public EntryRules(Campaign campaign, Creative creative, CampaignRules rules)
    {
        Campaign = campaign;
        Creative = creative;
        Slot = creative.Kind == CreativeKind.Banner ? CampaignIndex.BannerSlot(creative.W, creative.H) : CampaignIndex.KindSlot(creative.Kind);
        var allow = rules.Targeting.Allow;
        var block = rules.Targeting.Block;
        Countries = [.. allow.Countries.Select(CampaignIndex.CountryKey)];
        BlockedCountries = [.. block.Countries.Select(CampaignIndex.CountryKey)];
        Devices = [.. allow.DeviceTypes];
        BlockedDevices = [.. block.DeviceTypes];
        Open = rules.Targeting.Deals.Count == 0;
        Regions = Utf8(allow.Regions);
        BlockedRegions = Utf8(block.Regions);
        Os = Utf8(allow.Os);
        BlockedOs = Utf8(block.Os);
        Domains = Utf8(allow.SiteDomains);
        BlockedDomains = Utf8(block.SiteDomains);
        Bundles = Utf8(allow.AppBundles);
        BlockedBundles = Utf8(block.AppBundles);
        Publishers = Utf8(allow.PublisherIds);
        BlockedPublishers = Utf8(block.PublisherIds);
        Categories = Utf8(allow.Categories);
        BlockedCategories = Utf8(block.Categories);
    }

    public Campaign Campaign { get; }

    public Creative Creative { get; }

    public long Slot { get; }

    public int[] Countries { get; }

    public int[] BlockedCountries { get; }

    public int[] Devices { get; }

    public int[] BlockedDevices { get; }

    /// <summary>Bids in open auctions (names no deals).</summary>
    public bool Open { get; }

    public byte[][] Regions { get; }

    public byte[][] BlockedRegions { get; }

    public byte[][] Os { get; }

    public byte[][] BlockedOs { get; }

    public byte[][] Domains { get; }

    public byte[][] BlockedDomains { get; }

    public byte[][] Bundles { get; }

    public byte[][] BlockedBundles { get; }

    public byte[][] Publishers { get; }

    public byte[][] BlockedPublishers { get; }

    public byte[][] Categories { get; }

    public byte[][] BlockedCategories { get; }

    private static byte[][] Utf8(IReadOnlyList<string> values) => [.. values.Select(Encoding.UTF8.GetBytes)];
}
