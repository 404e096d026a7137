using System.Text;

namespace BidEngine.Core.Traffic;

/// <summary>
/// The device fields no real browser or app sends: each is a cheap test of bytes the request already
/// holds, nothing parsed twice and nothing allocated.
/// </summary>
public static class DeviceSignals
{
    /// <summary>Shortest user agent a browser, app or SDK sends ("Dalvik/2.1.0" is 12; curl's "curl/8.5" is 8).</summary>
    public const int MinUserAgentBytes = 8;

    /// <summary>
    /// A user agent (present and not empty) no client sends: shorter than <see cref="MinUserAgentBytes"/>, longer than
    /// <see cref="BotMatcher.MaxUserAgentBytes"/>, holding control characters (below 0x20, or DEL), or a
    /// placeholder such as <c>null</c>, <c>unknown</c> or <c>-</c>.
    /// </summary>
    public static bool IsImpossibleUserAgent(ReadOnlySpan<byte> ua)
    {
        if (ua.Length is < MinUserAgentBytes or > BotMatcher.MaxUserAgentBytes)
        {
            return true;
        }

        // Vectorised: two passes over a hundred bytes cost less than one byte-by-byte loop.
        if (ua.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0 || ua.Contains((byte)0x7F))
        {
            return true;
        }

        // Only whole-value placeholders; "unknown" inside a real user agent is fine.
        if (ua.Length <= 16)
        {
            Span<char> chars = stackalloc char[16];
            var length = Encoding.UTF8.GetChars(ua, chars);
            var text = chars[..length].Trim();
            return IsPlaceholder(text);
        }

        return false;
    }

    /// <summary>Values that stand where a user agent should be: a placeholder, never a client.</summary>
    private static bool IsPlaceholder(ReadOnlySpan<char> text)
    {
        foreach (var placeholder in (ReadOnlySpan<string>)["null", "undefined", "unknown", "none", "n/a", "test", "user-agent", "-"])
        {
            if (text.Equals(placeholder, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// An address no device on the public internet has: unspecified, loopback, private (RFC 1918,
    /// RFC 4193), carrier-grade NAT (RFC 6598), link-local, multicast, broadcast and reserved blocks.
    /// The documentation blocks (RFC 5737, RFC 3849) are let through: they are what exchanges' test
    /// requests and this repository's fixtures use.
    /// </summary>
    public static bool IsImpossibleV4(uint a)
    {
        var first = a >> 24;
        return first is 0 or 10 or 127 or >= 224
            || (a & 0xFFC00000) == 0x64400000 // 100.64.0.0/10
            || (a & 0xFFFF0000) == 0xA9FE0000 // 169.254.0.0/16
            || (a & 0xFFF00000) == 0xAC100000 // 172.16.0.0/12
            || (a & 0xFFFF0000) == 0xC0A80000; // 192.168.0.0/16
    }

    /// <inheritdoc cref="IsImpossibleV4"/>
    public static bool IsImpossibleV6(UInt128 a)
    {
        var top16 = (ushort)(a >> 112);
        return a <= UInt128.One // :: and ::1
            || (top16 & 0xFE00) == 0xFC00 // fc00::/7 unique local
            || (top16 & 0xFFC0) == 0xFE80 // fe80::/10 link-local
            || (top16 & 0xFF00) == 0xFF00 // ff00::/8 multicast
            || a >> 96 == 0; // ::/96, the old IPv4-compatible form (the mapped form reads as IPv4)
    }

    /// <summary>
    /// An advertising id of zeros (<c>00000000-0000-0000-0000-000000000000</c>, or zeros and dashes in any
    /// layout): what iOS and Android send once the user limited ad tracking. Only a device that does
    /// not also say <c>lmt</c> 1 is claiming it as an id.
    /// </summary>
    public static bool IsZeroAdId(ReadOnlySpan<byte> ifa)
    {
        var zeros = 0;
        foreach (var b in ifa)
        {
            if (b == (byte)'0')
            {
                zeros++;
            }
            else if (b != (byte)'-')
            {
                return false;
            }
        }

        return zeros > 0;
    }
}
