using BidEngine.Core.Currency;

namespace BidEngine.Core.Campaigns;

/// <summary>
/// An immutable set of campaigns with the indexes the request path looks them up by: banner
/// creatives by exact size, other creatives by kind. Swapped whole when campaigns change.
/// </summary>
public sealed class CampaignSnapshot
{
    private readonly Dictionary<long, CampaignCreative[]> _bannersBySize;
    private readonly CampaignCreative[][] _byKind;
    private readonly Dictionary<string, Campaign> _byId;

    public CampaignSnapshot(IReadOnlyList<Campaign> campaigns, CurrencyTable currencies)
    {
        Campaigns = campaigns;
        Currencies = currencies;
        _byId = new Dictionary<string, Campaign>(StringComparer.Ordinal);
        foreach (var campaign in campaigns)
        {
            _byId.TryAdd(campaign.Id, campaign);
        }
        var pairs = campaigns.SelectMany(c => c.Creatives.Select(cr => new CampaignCreative(c, cr))).ToArray();
        _bannersBySize = pairs
            .Where(p => p.Creative.Kind == CreativeKind.Banner)
            .GroupBy(p => SizeKey(p.Creative.W, p.Creative.H))
            .ToDictionary(g => g.Key, g => g.ToArray());
        _byKind = new CampaignCreative[5][];
        foreach (var kind in Enum.GetValues<CreativeKind>())
        {
            _byKind[(int)kind] = pairs.Where(p => p.Creative.Kind == kind).ToArray();
        }
    }

    public IReadOnlyList<Campaign> Campaigns { get; }

    public CurrencyTable Currencies { get; }

    /// <summary>The campaign with this id, for notices that name it.</summary>
    public bool TryGetCampaign(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Campaign? campaign) =>
        _byId.TryGetValue(id, out campaign);

    /// <summary>Banner creatives of exactly <paramref name="w"/> × <paramref name="h"/>.</summary>
    public ReadOnlySpan<CampaignCreative> BannersOfSize(int w, int h) =>
        _bannersBySize.TryGetValue(SizeKey(w, h), out var list) ? list : default;

    public ReadOnlySpan<CampaignCreative> OfKind(CreativeKind kind) => _byKind[(int)kind];

    private static long SizeKey(int w, int h) => ((long)w << 32) | (uint)h;
}
