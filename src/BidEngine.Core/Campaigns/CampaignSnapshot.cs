using BidEngine.Core.Candidates;
using BidEngine.Core.Currency;

namespace BidEngine.Core.Campaigns;

/// <summary>
/// An immutable set of campaigns with the targeting index the request path finds candidates in
/// (<see cref="CampaignIndex"/>). Built whole on load and on every reload, then swapped in with one
/// reference write, so a request sees either the old campaigns or the new ones, never a mix.
/// </summary>
public sealed class CampaignSnapshot
{
    private readonly Dictionary<string, Campaign> _byId;
    private readonly Dictionary<string, Campaign>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    /// <param name="campaigns">The campaigns, in file order.</param>
    /// <param name="currencies">The rate table; every campaign's currency must be in it, or its spend could not be counted.</param>
    /// <param name="previous">
    /// The snapshot this one replaces: a campaign with the same id, pacing mode and time zone takes
    /// over its pacer, so that a reload does not forget how fast the campaign was spending.
    /// </param>
    public CampaignSnapshot(IReadOnlyList<Campaign> campaigns, CurrencyTable currencies, CampaignSnapshot? previous = null)
    {
        Campaigns = campaigns;
        Currencies = currencies;
        _byId = new Dictionary<string, Campaign>(campaigns.Count, StringComparer.Ordinal);
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var campaign in campaigns)
        {
            _byId.TryAdd(campaign.Id, campaign);
            var code = campaign.Rules.Currency;
            if (!indexes.TryGetValue(code, out var currency))
            {
                indexes[code] = currency = currencies.IndexOf(System.Text.Encoding.ASCII.GetBytes(code));
            }

            if (currency < 0)
            {
                throw new InvalidDataException(
                    $"campaign '{campaign.Id}': currency '{campaign.Rules.Currency}' has no rate in BidEngine:Currency:UsdPerUnit, so its spend could not be counted");
            }

            campaign.CurrencyIndex = currency;
            if (campaign.Pacer is not null && previous is not null && previous.TryGetCampaign(campaign.Id, out var before) && !ReferenceEquals(before, campaign)
                && before.Pacer is { } pacer && pacer.Mode == campaign.Rules.Pacing && before.Rules.TimeZone.Id == campaign.Rules.TimeZone.Id)
            {
                campaign.Pacer = pacer;
            }
        }

        _bySpan = _byId.GetAlternateLookup<ReadOnlySpan<char>>();
        Index = new CampaignIndex([.. campaigns.Select(c => new IndexedCampaign(c, c.Rules))]);
    }

    public IReadOnlyList<Campaign> Campaigns { get; }

    public CurrencyTable Currencies { get; }

    /// <summary>Where candidates come from: posting lists by slot, country, device type and deal.</summary>
    public CampaignIndex Index { get; }

    /// <summary>The campaign with this id, for notices that name it.</summary>
    public bool TryGetCampaign(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Campaign? campaign) =>
        _byId.TryGetValue(id, out campaign);

    /// <summary>The same for an id held as characters (a verified notice token's), without making a string.</summary>
    public bool TryGetCampaign(ReadOnlySpan<char> id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Campaign? campaign) =>
        _bySpan.TryGetValue(id, out campaign);
}
