using System.Text;
using BidEngine.Core.Campaigns;

namespace BidEngine.Core.Candidates;

/// <summary>
/// A campaign's targeting lists as UTF-8, made once per campaign when it loads, so that matching
/// them against a request's text compares bytes and allocates nothing. Countries and device types
/// are not here: the index answers those.
/// </summary>
internal sealed class CompiledTargeting
{
    public CompiledTargeting(CampaignTargeting targeting, string seat)
    {
        Allow = new Lists(targeting.Allow);
        Block = new Lists(targeting.Block);
        BlockedDeals = Utf8(targeting.BlockedDeals);
        DealIds = Utf8(targeting.Deals.Select(d => d.Id).ToArray());
        Deals = [.. targeting.Deals];

        // A deal whose own wseat does not name the campaign's seat was arranged for other seats.
        DealSeatAllowed = [.. targeting.Deals.Select(d => d.Wseat.Count == 0 || d.Wseat.Contains(seat, StringComparer.OrdinalIgnoreCase))];
    }

    public Lists Allow { get; }

    public Lists Block { get; }

    public byte[][] BlockedDeals { get; }

    public byte[][] DealIds { get; }

    public CampaignDeal[] Deals { get; }

    public bool[] DealSeatAllowed { get; }

    public bool Restricts => Allow.Any || Block.Any || BlockedDeals.Length > 0;

    private static byte[][] Utf8(IReadOnlyList<string> values) => [.. values.Select(Encoding.UTF8.GetBytes)];

    /// <summary>One side (allow or block) of the lists the finder checks on the entries found.</summary>
    internal sealed class Lists(TargetingLists lists)
    {
        public byte[][] Regions { get; } = Utf8(lists.Regions);

        public byte[][] Os { get; } = Utf8(lists.Os);

        public byte[][] SiteDomains { get; } = Utf8(lists.SiteDomains);

        public byte[][] AppBundles { get; } = Utf8(lists.AppBundles);

        public byte[][] PublisherIds { get; } = Utf8(lists.PublisherIds);

        public byte[][] Categories { get; } = Utf8(lists.Categories);

        public bool Any => Regions.Length + Os.Length + SiteDomains.Length + AppBundles.Length + PublisherIds.Length + Categories.Length > 0;
    }
}
