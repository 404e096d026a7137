namespace BidEngine.Core.Heuristics;

/// <summary>The prior of one campaign × <see cref="PlacementBucket"/> in a <see cref="PriorCtrFile"/>.</summary>
public sealed class PriorCtrBucket
{
    /// <summary>A readable name, for example <c>banner-300x250/mobile</c>; the lookup uses the fields below.</summary>
    public string Name { get; set; } = "";

    /// <summary><c>CreativeKind</c> as a number (1 banner, 2 video, 3 audio, 4 native).</summary>
    public int Kind { get; set; }

    public int W { get; set; }

    public int H { get; set; }

    /// <summary><see cref="PlacementBucket.DeviceClassOf"/>: 0 unknown, 1 mobile, 2 desktop, 3 tv, 4 other.</summary>
    public int DeviceClass { get; set; }

    /// <summary>Smoothed CTR of the bucket, toward the campaign's.</summary>
    public double Ctr { get; set; }

    public long Impressions { get; set; }

    public long Clicks { get; set; }
}
