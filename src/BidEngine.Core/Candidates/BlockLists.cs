using BidEngine.Core.Campaigns;
using BidEngine.OpenRtb.Request;
using BidEngine.OpenRtb.Text;

namespace BidEngine.Core.Candidates;

/// <summary>The request's exclusions: blocked categories (bcat), advertisers (badv), apps (bapp) and seats.</summary>
internal static class BlockLists
{
    public static bool Allows(BidRequest request, Campaign campaign)
    {
        return SeatAllowed(request, campaign)
            && !AnyListed(request, request.Badv, campaign.AdomainUtf8)
            && !AnyCategoryBlocked(request, campaign.CategoriesUtf8)
            && (campaign.AppBundleUtf8 is null || !Listed(request, request.Bapp, campaign.AppBundleUtf8));
    }

    private static bool SeatAllowed(BidRequest request, Campaign campaign)
    {
        if (request.Wseat.Count > 0 && !Listed(request, request.Wseat, campaign.SeatUtf8))
        {
            return false;
        }

        return !Listed(request, request.Bseat, campaign.SeatUtf8);
    }

    /// <summary>A blocked category also blocks its subcategories: bcat IAB18 blocks IAB18-3.</summary>
    private static bool AnyCategoryBlocked(BidRequest request, byte[][] categories)
    {
        foreach (var blockedSlice in request.Bcat)
        {
            var blocked = request[blockedSlice];
            foreach (var category in categories)
            {
                if (category.AsSpan().SequenceEqual(blocked)
                    || (category.Length > blocked.Length && category[blocked.Length] == (byte)'-' && category.AsSpan().StartsWith(blocked)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool AnyListed(BidRequest request, List<Utf8Slice> list, byte[][] values)
    {
        foreach (var value in values)
        {
            if (Listed(request, list, value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Listed(BidRequest request, List<Utf8Slice> list, ReadOnlySpan<byte> value)
    {
        foreach (var item in list)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(request[item], value))
            {
                return true;
            }
        }

        return false;
    }
}
