using BidEngine.Core.Campaigns;

namespace BidEngine.Training.Simulation;

/// <summary>The hidden side of one simulated bid: what the ground truth looks at, including what the request does not say (true local time, site category).</summary>
internal struct SimImpression
{
    public SimProperty Property;
    public SimPlacement Placement;
    public SimDevice Device;
    public int Country;
    public int Region;
    public int CampaignIndex;
    public Campaign Campaign;
    public Creative Creative;
    public int Pos;
    public int TrueLocalHour;
    public int TrueLocalDay;

    /// <summary>Whether the request said the region (<c>geo.region</c>).</summary>
    public bool RegionSent;

    /// <summary>Whether the request said the time zone (<c>geo.utcoffset</c>, <see cref="OffsetMinutes"/>).</summary>
    public bool OffsetSent;

    public int OffsetMinutes;
}
