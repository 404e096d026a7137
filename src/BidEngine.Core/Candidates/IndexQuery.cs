using BidEngine.Core.Campaigns;

namespace BidEngine.Core.Candidates;

/// <summary>
/// What an imp asks the index for: one slot (a banner size, or a creative kind), the device's
/// country and device type. Build it with <see cref="Banner"/> or <see cref="OfKind"/> and the
/// country packed by <see cref="CampaignIndex.CountryKey(ReadOnlySpan{byte})"/> (0: unknown).
/// </summary>
public readonly record struct IndexQuery(long Slot, int Country, int DeviceType)
{
    public static IndexQuery Banner(int w, int h, int country, int deviceType) => new(CampaignIndex.BannerSlot(w, h), country, deviceType);

    public static IndexQuery OfKind(CreativeKind kind, int country, int deviceType) => new(CampaignIndex.KindSlot(kind), country, deviceType);
}
