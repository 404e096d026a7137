using System.Text;
using BidEngine.Core.Campaigns;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Core.Candidates;

/// <summary>Does the request's user and device fall inside a campaign's targeting?</summary>
internal static class TargetingMatcher
{
    public static bool Matches(BidRequest request, Targeting targeting)
    {
        if (targeting.CountriesUtf8.Length > 0 && !AnyEqual(targeting.CountriesUtf8, Country(request)))
        {
            return false;
        }

        if (targeting.DeviceTypes.Count > 0 && !Contains(targeting.DeviceTypes, request.Device.DeviceType))
        {
            return false;
        }

        return targeting.OsUtf8.Length == 0 || AnyEqual(targeting.OsUtf8, request[request.Device.Os]);
    }

    private static ReadOnlySpan<byte> Country(BidRequest request) => request[request.Geo.Country];

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

    private static bool Contains(IReadOnlyList<int> list, int value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return true;
            }
        }

        return false;
    }
}
