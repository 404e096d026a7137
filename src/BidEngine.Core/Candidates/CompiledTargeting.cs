using BidEngine.Core.Campaigns;

namespace BidEngine.Core.Candidates;

/// <summary>
/// A campaign's targeting lists as UTF-8, made once when the campaign loads, so that matching them
/// against a request's text compares bytes and allocates nothing. Countries and device types are not
/// here: the index answers those. Campaigns of one file with the same lists share one instance, and
/// all that restrict nothing here share <see cref="None"/>.
/// </summary>
internal sealed class CompiledTargeting
{
    private CompiledTargeting(CampaignTargeting targeting, string seat, CampaignInterner shared)
    {
        Allow = Lists.Of(targeting.Allow, shared);
        Block = Lists.Of(targeting.Block, shared);
        BlockedDeals = shared.Utf8(targeting.BlockedDeals);
        DealIds = shared.Utf8(targeting.Deals.Select(d => d.Id).ToArray());
        Deals = targeting.Deals as CampaignDeal[] ?? [.. targeting.Deals];

        // A deal whose own wseat does not name the campaign's seat was arranged for other seats.
        DealSeatAllowed = targeting.Deals.Count == 0 ? [] : [.. targeting.Deals.Select(d => d.Wseat.Count == 0 || d.Wseat.Contains(seat, StringComparer.OrdinalIgnoreCase))];
    }

    /// <summary>No lists, no deals: every request passes.</summary>
    public static CompiledTargeting None { get; } = new(CampaignTargeting.Any, "", CampaignInterner.Unshared);

    public Lists Allow { get; }

    public Lists Block { get; }

    public byte[][] BlockedDeals { get; }

    public byte[][] DealIds { get; }

    public CampaignDeal[] Deals { get; }

    public bool[] DealSeatAllowed { get; }

    public bool Restricts => Allow.Any || Block.Any || BlockedDeals.Length > 0;

    /// <summary>The compiled form of <paramref name="targeting"/> for a campaign on <paramref name="seat"/>.</summary>
    public static CompiledTargeting Of(CampaignTargeting targeting, string seat, CampaignInterner shared) =>
        targeting.Deals.Count == 0 && targeting.BlockedDeals.Count == 0 && !Lists.Names(targeting.Allow) && !Lists.Names(targeting.Block)
            ? None
            : shared.Compiled(targeting, seat, (t, s) => new CompiledTargeting(t, s, shared));

    /// <summary>One side (allow or block) of the lists the finder checks on the entries found.</summary>
    internal sealed class Lists
    {
        private static readonly Lists Empty = new(TargetingLists.Empty, CampaignInterner.Unshared);

        private Lists(TargetingLists lists, CampaignInterner shared)
        {
            Regions = shared.Utf8(lists.Regions);
            Os = shared.Utf8(lists.Os);
            SiteDomains = shared.Utf8(lists.SiteDomains);
            AppBundles = shared.Utf8(lists.AppBundles);
            PublisherIds = shared.Utf8(lists.PublisherIds);
            Categories = shared.Utf8(lists.Categories);
        }

        public byte[][] Regions { get; }

        public byte[][] Os { get; }

        public byte[][] SiteDomains { get; }

        public byte[][] AppBundles { get; }

        public byte[][] PublisherIds { get; }

        public byte[][] Categories { get; }

        public bool Any => Regions.Length + Os.Length + SiteDomains.Length + AppBundles.Length + PublisherIds.Length + Categories.Length > 0;

        /// <summary>Whether <paramref name="lists"/> names anything checked here.</summary>
        public static bool Names(TargetingLists lists) =>
            lists.Regions.Count + lists.Os.Count + lists.SiteDomains.Count + lists.AppBundles.Count + lists.PublisherIds.Count + lists.Categories.Count > 0;

        /// <summary>The compiled side; equal lists of one file (the rules reader shares them) share one.</summary>
        public static Lists Of(TargetingLists lists, CampaignInterner shared) =>
            Names(lists) ? shared.Compiled(lists, l => new Lists(l, shared)) : Empty;
    }
}
