namespace BidEngine.Core.Campaigns;

/// <summary>
/// One side of a campaign's targeting: as an allow list an empty list means "any"; as a block list,
/// "none". Values are kept as the file has them, countries and regions in upper case.
/// </summary>
public sealed record TargetingLists(
    IReadOnlyList<string> Countries,
    IReadOnlyList<string> Regions,
    IReadOnlyList<int> DeviceTypes,
    IReadOnlyList<string> Os,
    IReadOnlyList<string> SiteDomains,
    IReadOnlyList<string> AppBundles,
    IReadOnlyList<string> PublisherIds,
    IReadOnlyList<string> Categories)
{
    public static TargetingLists Empty { get; } = new([], [], [], [], [], [], [], []);
}
