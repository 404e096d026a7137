using System.Text;
using BidEngine.Core.Candidates;
using BidEngine.OpenRtb.Request;
using BidEngine.OpenRtb.Text;

namespace BidEngine.Benchmarks.Candidates;

/// <summary>
/// What the bidder checks on an entry after the index found it: the floor, the request's block
/// lists, video and audio mimes and durations, and the targeting the index does not cover (regions,
/// OS, site domains, app bundles, publisher ids, content categories, each allowed and blocked).
/// The scan runs the indexed checks (slot, country, device type, open auction) first, then these.
/// </summary>
internal static class RemainingChecks
{
    /// <summary>The checks the index answers; the scan has to make them on every entry.</summary>
    public static bool IndexedMatch(EntryRules e, long slot, int country, int device) =>
        e.Slot == slot
        && e.Open
        && (e.Countries.Length == 0 || Array.IndexOf(e.Countries, country) >= 0)
        && (e.Devices.Length == 0 || Array.IndexOf(e.Devices, device) >= 0)
        && Array.IndexOf(e.BlockedCountries, country) < 0
        && Array.IndexOf(e.BlockedDevices, device) < 0;

    public static bool Pass(BidRequest request, Imp imp, EntryRules e, double floorUsd)
    {
        if (e.Campaign.MaxBidCpm < floorUsd || !BlockLists.Allows(request, e.Campaign))
        {
            return false;
        }

        if (e.Creative.Kind == Core.Campaigns.CreativeKind.Video
            && !(CandidateFinder.MimeAllowed(request, imp.Video.Mimes, e.Creative) && CandidateFinder.DurationFits(e.Creative, imp.Video.MinDuration, imp.Video.MaxDuration)))
        {
            return false;
        }

        if (e.Creative.Kind == Core.Campaigns.CreativeKind.Audio
            && !(CandidateFinder.MimeAllowed(request, imp.Audio.Mimes, e.Creative) && CandidateFinder.DurationFits(e.Creative, imp.Audio.MinDuration, imp.Audio.MaxDuration)))
        {
            return false;
        }

        var geo = request.Geo;
        var country = request[geo.Country];
        var region = request[geo.Region];
        if (!Allowed(e.Regions, e.BlockedRegions, country, region))
        {
            return false;
        }

        if (!Allowed(e.Os, e.BlockedOs, request[request.Device.Os]))
        {
            return false;
        }

        var site = request.Site.Present;
        if (!Allowed(e.Domains, e.BlockedDomains, site ? request[request.Site.Domain] : default)
            || !Allowed(e.Bundles, e.BlockedBundles, request.App.Present ? request[request.App.Bundle] : default)
            || !Allowed(e.Publishers, e.BlockedPublishers, request[request.PublisherId]))
        {
            return false;
        }

        return CategoriesAllowed(request, site ? request.Site.Cat : request.App.Cat, e);
    }

    private static bool Allowed(byte[][] allow, byte[][] block, ReadOnlySpan<byte> value) =>
        (allow.Length == 0 || Listed(allow, value)) && (block.Length == 0 || !Listed(block, value));

    private static bool Allowed(byte[][] allow, byte[][] block, ReadOnlySpan<byte> country, ReadOnlySpan<byte> region) =>
        (allow.Length == 0 || ListedRegion(allow, country, region)) && (block.Length == 0 || !ListedRegion(block, country, region));

    private static bool Listed(byte[][] list, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (var item in list)
        {
            if (Ascii.EqualsIgnoreCase(item, value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"USA-CA" against geo.country USA and geo.region CA, without building the string.</summary>
    private static bool ListedRegion(byte[][] list, ReadOnlySpan<byte> country, ReadOnlySpan<byte> region)
    {
        if (country.IsEmpty || region.IsEmpty)
        {
            return false;
        }

        foreach (var item in list)
        {
            if (item.Length == country.Length + 1 + region.Length
                && item[country.Length] == (byte)'-'
                && Ascii.EqualsIgnoreCase(item.AsSpan(0, country.Length), country)
                && Ascii.EqualsIgnoreCase(item.AsSpan(country.Length + 1), region))
            {
                return true;
            }
        }

        return false;
    }

    private static bool CategoriesAllowed(BidRequest request, List<Utf8Slice> categories, EntryRules e)
    {
        if (e.Categories.Length > 0)
        {
            var any = false;
            foreach (var c in categories)
            {
                any |= Listed(e.Categories, request[c]);
            }

            if (!any)
            {
                return false;
            }
        }

        foreach (var c in categories)
        {
            if (e.BlockedCategories.Length > 0 && Listed(e.BlockedCategories, request[c]))
            {
                return false;
            }
        }

        return true;
    }
}
