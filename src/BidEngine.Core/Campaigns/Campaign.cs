using System.Text;

namespace BidEngine.Core.Campaigns;

/// <summary>
/// An advertiser's campaign: what it pays for a click, whom it targets and its creatives.
/// Immutable; a new configuration makes a new <see cref="CampaignSnapshot"/>.
/// </summary>
public sealed class Campaign
{
    public Campaign(
        string id,
        IReadOnlyList<string> adomain,
        IReadOnlyList<string> categories,
        double valuePerClick,
        double maxBidCpm,
        double ctrPrior,
        Targeting targeting,
        IReadOnlyList<Creative> creatives,
        string seat = "bidengine",
        string? appBundle = null,
        CampaignRules? rules = null)
        : this(id, adomain, categories, valuePerClick, maxBidCpm, ctrPrior, targeting, creatives, seat, appBundle, rules, CampaignInterner.Unshared)
    {
    }

    /// <param name="shared">Where the lists and UTF-8 arrays that other campaigns of the file hold alike come from.</param>
    internal Campaign(
        string id,
        IReadOnlyList<string> adomain,
        IReadOnlyList<string> categories,
        double valuePerClick,
        double maxBidCpm,
        double ctrPrior,
        Targeting targeting,
        IReadOnlyList<Creative> creatives,
        string seat,
        string? appBundle,
        CampaignRules? rules,
        CampaignInterner shared)
    {
        Id = id;
        var adomains = shared.Strings(adomain);
        var cats = shared.Strings(categories);
        Adomain = adomains;
        Categories = cats;
        ValuePerClick = valuePerClick;
        MaxBidCpm = maxBidCpm;
        CtrPrior = ctrPrior;
        Targeting = targeting;
        Creatives = creatives;
        AppBundleUtf8 = appBundle is null ? null : shared.Utf8(appBundle);
        IdUtf8 = Encoding.UTF8.GetBytes(id);
        AdomainUtf8 = shared.Utf8(adomains);
        CategoriesUtf8 = shared.Utf8(cats);
        SeatUtf8 = shared.Utf8(seat);
        Rules = rules ?? RulesOf(targeting);
        FrequencyKey = FrequencyCaps.FrequencyKey.OfCampaign(id);
        Pacer = NeedsPacer(Rules) ? new Pacing.Pacer(Rules.Pacing, Rules.TimeZone) : null;
        Compiled = Candidates.CompiledTargeting.Of(Rules.Targeting, seat, shared);
    }

    /// <summary>
    /// When and how much the campaign spends, and its full targeting (the file's <c>budget</c>,
    /// <c>pacing</c>, <c>frequencyCap</c>, <c>flight</c>, <c>dayparting</c>, <c>targeting</c>, ...).
    /// Candidates are matched against <see cref="CampaignRules.Targeting"/>, never <see cref="Targeting"/>.
    /// </summary>
    public CampaignRules Rules { get; }

    /// <summary>The campaign's key in the frequency table, hashed once.</summary>
    public ulong FrequencyKey { get; }

    /// <summary>
    /// The even-pacing controller, for an even-paced campaign with a daily budget (the only kind the
    /// gate paces); null for every other. State, not configuration: a reload hands the previous
    /// snapshot's pacer to the campaign with the same id, mode and time zone (<see cref="CampaignSnapshot"/>).
    /// </summary>
    public Pacing.Pacer? Pacer { get; internal set; }

    /// <summary>The targeting lists the index does not answer, as UTF-8 for matching.</summary>
    internal Candidates.CompiledTargeting Compiled { get; }

    /// <summary>XxHash3 of the campaign's object in the file it was loaded from; 0 for one made in code. A reload takes over a campaign whose text has this hash.</summary>
    internal ulong SourceHash { get; set; }

    /// <summary>Index of <see cref="CampaignRules.Currency"/> in the snapshot's currency table; set when the snapshot is built.</summary>
    public int CurrencyIndex { get; internal set; }

    public string Id { get; }

    /// <summary>Only a daily budget has a day to spread over, and only even pacing spreads it.</summary>
    internal static bool NeedsPacer(CampaignRules rules) => rules.Pacing == PacingMode.Even && rules.Budget.Daily is not null;

    /// <summary>
    /// Rules for a campaign made in code with only the long-standing targeting (training, tests):
    /// its countries, device types and OS become the allow lists, everything else the defaults.
    /// </summary>
    private static CampaignRules RulesOf(Targeting targeting) =>
        targeting.Countries.Count == 0 && targeting.DeviceTypes.Count == 0 && targeting.Os.Count == 0
            ? CampaignRules.Default
            : CampaignRules.Default with
            {
                Targeting = CampaignTargeting.Any with
                {
                    Allow = TargetingLists.Empty with
                    {
                        Countries = [.. targeting.Countries.Select(c => c.ToUpperInvariant())],
                        DeviceTypes = targeting.DeviceTypes,
                        Os = targeting.Os,
                    },
                },
            };

    /// <summary>Advertiser domains, sent as <c>bid.adomain</c> and checked against <c>badv</c>.</summary>
    public IReadOnlyList<string> Adomain { get; }

    /// <summary>IAB content categories of the ads, sent as <c>bid.cat</c> and checked against <c>bcat</c>.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>What one click is worth to the advertiser, in the bidder's currency (USD).</summary>
    public double ValuePerClick { get; }

    /// <summary>Highest CPM the campaign will ever bid, in USD.</summary>
    public double MaxBidCpm { get; }

    /// <summary>The CTR assumed when no model score is at hand.</summary>
    public double CtrPrior { get; }

    public Targeting Targeting { get; }

    public IReadOnlyList<Creative> Creatives { get; }

    /// <summary>The seat the bids of this campaign are placed on behalf of; made from <see cref="SeatUtf8"/> when asked (the bidder uses the bytes).</summary>
    public string Seat => Encoding.UTF8.GetString(SeatUtf8);

    /// <summary>The store id of the app this campaign advertises, if any; checked against <c>bapp</c>. Made from <see cref="AppBundleUtf8"/> when asked.</summary>
    public string? AppBundle => AppBundleUtf8 is null ? null : Encoding.UTF8.GetString(AppBundleUtf8);

    public byte[] IdUtf8 { get; }

    public byte[]? AppBundleUtf8 { get; }

    public byte[][] AdomainUtf8 { get; }

    public byte[][] CategoriesUtf8 { get; }

    public byte[] SeatUtf8 { get; }
}
