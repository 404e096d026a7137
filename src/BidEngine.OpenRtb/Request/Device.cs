using BidEngine.OpenRtb.Text;

namespace BidEngine.OpenRtb.Request;

public sealed class Device : IResettable
{
    public bool Present { get; set; }

    public Utf8Slice Ua { get; set; }

    /// <summary>The IPv4 address (<c>device.ip</c>), as sent: possibly truncated by the exchange (last octet 0).</summary>
    public Utf8Slice Ip { get; set; }

    /// <summary>The IPv6 address (<c>device.ipv6</c>), as sent.</summary>
    public Utf8Slice Ipv6 { get; set; }

    /// <summary>Device type (AdCOM list 7.20 / OpenRTB 5.21); 0 unknown.</summary>
    public int DeviceType { get; set; }

    public Utf8Slice Os { get; set; }

    public Utf8Slice Osv { get; set; }

    public Utf8Slice Make { get; set; }

    public Utf8Slice Model { get; set; }

    public Utf8Slice Language { get; set; }

    public Utf8Slice Ifa { get; set; }

    public bool Lmt { get; set; }

    public Geo Geo { get; } = new();

    public void Reset()
    {
        Present = false;
        Ua = default;
        Ip = default;
        Ipv6 = default;
        DeviceType = 0;
        Os = default;
        Osv = default;
        Make = default;
        Model = default;
        Language = default;
        Ifa = default;
        Lmt = false;
        Geo.Reset();
    }
}
