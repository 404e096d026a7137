using BidEngine.OpenRtb.Text;

namespace BidEngine.OpenRtb.Request;

public sealed class Geo : IResettable
{
    public bool Present { get; set; }

    /// <summary>ISO-3166-1 alpha-3 country code.</summary>
    public Utf8Slice Country { get; set; }

    public Utf8Slice Region { get; set; }

    public Utf8Slice City { get; set; }

    public double? Lat { get; set; }

    public double? Lon { get; set; }

    /// <summary>Local time as ± minutes from UTC; null when absent.</summary>
    public int? UtcOffset { get; set; }

    public void Reset()
    {
        Present = false;
        Country = default;
        Region = default;
        City = default;
        Lat = null;
        Lon = null;
        UtcOffset = null;
    }
}
