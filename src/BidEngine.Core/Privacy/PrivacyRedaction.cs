using BidEngine.OpenRtb.Request;

namespace BidEngine.Core.Privacy;

/// <summary>
/// Makes a parsed request say no more than a <see cref="PrivacyDecision"/> allows, in place, before
/// the pipeline reads it. Without user data: <c>user.id</c>, <c>buyeruid</c>, <c>yob</c>,
/// <c>gender</c> and <c>device.ifa</c> are removed, so the frequency key, the notice's user key, the
/// features and the log all see an unknown user. Without precise geo: <c>lat</c>/<c>lon</c> of the
/// device and user go, and the IP is truncated (IPv4 to /24, IPv6 to /48); country, region, city and
/// UTC offset stay. The truncated IP is written into the request's text arena: 0 B.
/// </summary>
public static class PrivacyRedaction
{
    public static void Apply(BidRequest request, PrivacyDecision decision)
    {
        if (!decision.Personalise)
        {
            var user = request.User;
            user.Id = default;
            user.BuyerUid = default;
            user.Yob = 0;
            user.Gender = default;
            request.Device.Ifa = default;
        }

        if (!decision.PreciseGeo)
        {
            DropPreciseGeo(request.Device.Geo);
            DropPreciseGeo(request.User.Geo);
            TruncateIp(request);
        }
    }

    /// <summary>The IP with its host part zeroed: <c>203.0.113.77</c> → <c>203.0.113.0</c>, <c>2001:db8:85a3:8d3::1</c> → <c>2001:db8:85a3::</c>.</summary>
    public static int Truncate(ReadOnlySpan<byte> ip, Span<byte> into)
    {
        if (ip.IndexOf((byte)':') >= 0)
        {
            // IPv6: keep the first three groups (/48). A '::' among them would shift the groups; such
            // an address keeps only what comes before it.
            var groups = 0;
            var end = 0;
            for (; end < ip.Length && groups < 3; end++)
            {
                if (ip[end] == ':')
                {
                    if (end + 1 < ip.Length && ip[end + 1] == ':')
                    {
                        break;
                    }

                    groups++;
                    if (groups == 3)
                    {
                        break;
                    }
                }
            }

            var prefix = ip[..end];
            if (prefix.Length + 2 > into.Length)
            {
                return 0;
            }

            prefix.CopyTo(into);
            into[prefix.Length] = (byte)':';
            into[prefix.Length + 1] = (byte)':';
            return prefix.Length + 2;
        }

        var lastDot = ip.LastIndexOf((byte)'.');
        if (lastDot < 0 || lastDot + 2 > into.Length)
        {
            return 0;
        }

        ip[..(lastDot + 1)].CopyTo(into);
        into[lastDot + 1] = (byte)'0';
        return lastDot + 2;
    }

    private static void DropPreciseGeo(Geo geo)
    {
        geo.Lat = null;
        geo.Lon = null;
    }

    private static void TruncateIp(BidRequest request)
    {
        var device = request.Device;
        var ip = request[device.Ip];
        if (ip.IsEmpty)
        {
            return;
        }

        // An address is at most 45 characters; anything longer is not an address and is dropped.
        Span<byte> truncated = stackalloc byte[48];
        var length = ip.Length <= 45 ? Truncate(ip, truncated) : 0;
        device.Ip = length == 0 ? default : request.Text.Append(truncated[..length]);
    }
}
