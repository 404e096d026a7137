using System.Text;
using BidEngine.OpenRtb.Request;
using BidEngine.OpenRtb.Text;

namespace BidEngine.Core.Candidates;

/// <summary>
/// The targeting the index does not answer, checked on the few entries it found: regions, OS, site
/// domains, app bundles, publisher ids and content categories, each as an allow list (empty: any;
/// a request without the value matches no non-empty allow list) and a block list, plus blocked deals.
/// </summary>
internal static class TargetingMatcher
{
    public static bool Matches(BidRequest request, Imp imp, CompiledTargeting targeting)
    {
        if (!targeting.Restricts)
        {
            return true;
        }

        return Side(request, targeting.Allow, allow: true)
            && Side(request, targeting.Block, allow: false)
            && !OffersBlockedDeal(request, imp, targeting.BlockedDeals);
    }

    /// <summary>For an allow list: some value matches (or the list is empty). For a block list: none does.</summary>
    private static bool Side(BidRequest request, CompiledTargeting.Lists lists, bool allow)
    {
        if (!lists.Any)
        {
            return true;
        }

        var geo = request.Geo;
        return Check(lists.Regions, allow, AnyRegion(lists.Regions, request[geo.Country], request[geo.Region]))
            && Check(lists.Os, allow, AnyEqual(lists.Os, request[request.Device.Os]))
            && Check(lists.SiteDomains, allow, request.Site.Present && AnyDomain(lists.SiteDomains, request[request.Site.Domain]))
            && Check(lists.AppBundles, allow, request.App.Present && AnyEqual(lists.AppBundles, request[request.App.Bundle]))
            && Check(lists.PublisherIds, allow, AnyExact(lists.PublisherIds, request[request.PublisherId]))
            && Check(lists.Categories, allow, AnyCategory(lists.Categories, request, request.Site.Present ? request.Site.Cat : request.App.Cat));
    }

    private static bool Check(byte[][] list, bool allow, bool listed) => list.Length == 0 || listed == allow;

    /// <summary>Regions are written country-region (USA-CA); the request has them apart.</summary>
    private static bool AnyRegion(byte[][] regions, ReadOnlySpan<byte> country, ReadOnlySpan<byte> region)
    {
        if (country.Length != 3 || region.IsEmpty)
        {
            return false;
        }

        foreach (var r in regions)
        {
            if (r.Length == 4 + region.Length && Ascii.EqualsIgnoreCase(r.AsSpan(0, 3), country) && Ascii.EqualsIgnoreCase(r.AsSpan(4), region))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A listed domain also covers its subdomains: news.example lists www.news.example.</summary>
    private static bool AnyDomain(byte[][] domains, ReadOnlySpan<byte> domain)
    {
        if (domain.IsEmpty)
        {
            return false;
        }

        foreach (var d in domains)
        {
            if (Ascii.EqualsIgnoreCase(d, domain)
                || (domain.Length > d.Length && domain[^(d.Length + 1)] == (byte)'.' && Ascii.EqualsIgnoreCase(d, domain[^d.Length..])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A listed category also covers its subcategories: IAB19 lists IAB19-18.</summary>
    private static bool AnyCategory(byte[][] listed, BidRequest request, List<Utf8Slice> categories)
    {
        foreach (var slice in categories)
        {
            var category = request[slice];
            foreach (var l in listed)
            {
                if (Ascii.EqualsIgnoreCase(l, category)
                    || (category.Length > l.Length && category[l.Length] == (byte)'-' && Ascii.EqualsIgnoreCase(l, category[..l.Length])))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool OffersBlockedDeal(BidRequest request, Imp imp, byte[][] blocked)
    {
        if (blocked.Length == 0 || !imp.Pmp.Present)
        {
            return false;
        }

        var deals = imp.Pmp.Deals;
        for (var i = 0; i < deals.Count; i++)
        {
            if (AnyExact(blocked, request[deals[i].Id]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyEqual(byte[][] wanted, ReadOnlySpan<byte> actual)
    {
        if (actual.IsEmpty)
        {
            return false;
        }

        foreach (var w in wanted)
        {
            if (Ascii.EqualsIgnoreCase(w, actual))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyExact(byte[][] wanted, ReadOnlySpan<byte> actual)
    {
        if (actual.IsEmpty)
        {
            return false;
        }

        foreach (var w in wanted)
        {
            if (w.AsSpan().SequenceEqual(actual))
            {
                return true;
            }
        }

        return false;
    }
}
