namespace BidEngine.Core.Campaigns;

/// <summary>Who a campaign wants to reach. An empty list means "any".</summary>
public sealed class Targeting
{
    public static Targeting Any { get; } = new([], [], []);

    public Targeting(IReadOnlyList<string> countries, IReadOnlyList<int> deviceTypes, IReadOnlyList<string> os)
    {
        Countries = countries;
        DeviceTypes = deviceTypes;
        Os = os;
    }

    /// <summary>ISO-3166-1 alpha-3 codes, as OpenRTB sends them in <c>device.geo.country</c>.</summary>
    public IReadOnlyList<string> Countries { get; }

    /// <summary>OpenRTB device types (list 5.21): 1 mobile/tablet, 2 PC, 3 TV, 4 phone, 5 tablet, 6 connected device, 7 set-top box.</summary>
    public IReadOnlyList<int> DeviceTypes { get; }

    /// <summary>Operating systems, compared without case (ios, android, windows, ...).</summary>
    public IReadOnlyList<string> Os { get; }
}
