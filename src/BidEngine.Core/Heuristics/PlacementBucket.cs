using BidEngine.Core.Campaigns;

namespace BidEngine.Core.Heuristics;

/// <summary>
/// The coarse placement a prior CTR is kept for: the creative's kind and size × the device
/// class. Coarse on purpose: every bucket must see enough impressions to have a stable CTR.
/// </summary>
public static class PlacementBucket
{
    /// <summary>Device classes of <see cref="DeviceClassOf"/>.</summary>
    public static IReadOnlyList<string> DeviceClasses { get; } = ["unknown", "mobile", "desktop", "tv", "other"];

    /// <summary>0 unknown, 1 mobile (phone, tablet), 2 desktop, 3 TV (connected TV, set-top box), 4 other connected device.</summary>
    public static int DeviceClassOf(int deviceType) => deviceType switch
    {
        1 or 4 or 5 => 1,
        2 => 2,
        3 or 7 => 3,
        6 => 4,
        _ => 0,
    };

    /// <summary>A bucket as one number: kind, width, height and device class packed, for allocation-free lookups.</summary>
    public static long Key(int creativeKind, int w, int h, int deviceClass) =>
        ((long)(creativeKind & 0xFF) << 48) | ((long)(w & 0xFFFF) << 32) | ((long)(h & 0xFFFF) << 16) | (long)(deviceClass & 0xFF);

    public static long Key(Creative creative, int deviceType) => Key((int)creative.Kind, creative.W, creative.H, DeviceClassOf(deviceType));

    /// <summary>The parts of a <see cref="Key(int, int, int, int)"/>; a key with stray bits does not pack back to itself.</summary>
    public static (int Kind, int W, int H, int DeviceClass) Unpack(long key) =>
        ((int)((key >> 48) & 0xFF), (int)((key >> 32) & 0xFFFF), (int)((key >> 16) & 0xFFFF), (int)(key & 0xFF));

    /// <summary>
    /// True when <paramref name="key"/> is a bucket <paramref name="campaign"/> can bid in: one of its
    /// creatives' kind and size with a known device class, packed exactly as <see cref="Key(int, int, int, int)"/> does.
    /// </summary>
    public static bool IsBucketOf(Campaign campaign, long key)
    {
        var (kind, w, h, deviceClass) = Unpack(key);
        if (key < 0 || Key(kind, w, h, deviceClass) != key || deviceClass >= DeviceClasses.Count)
        {
            return false;
        }

        // Indexed, not foreach: an enumerator over the list interface is an allocation per verified notice.
        var creatives = campaign.Creatives;
        for (var i = 0; i < creatives.Count; i++)
        {
            var creative = creatives[i];
            if ((int)creative.Kind == kind && (creative.W & 0xFFFF) == w && (creative.H & 0xFFFF) == h)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A readable name such as <c>banner-300x250/mobile</c>; allocates, for files and logs.</summary>
    public static string Name(int creativeKind, int w, int h, int deviceClass)
    {
        var kind = ((CreativeKind)creativeKind).ToString().ToLowerInvariant();
        var size = w > 0 && h > 0 ? $"-{w}x{h}" : "";
        return $"{kind}{size}/{DeviceClasses[Math.Clamp(deviceClass, 0, DeviceClasses.Count - 1)]}";
    }
}
