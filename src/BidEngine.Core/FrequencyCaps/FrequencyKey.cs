using BidEngine.Core.Features;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Core.FrequencyCaps;

/// <summary>
/// The 64-bit keys the frequency table counts by. The user is <c>user.id</c>, else <c>user.buyeruid</c>,
/// else <c>device.ifa</c>; each source hashes from its own seed, so the same text from two sources
/// is two users. 0 means "no user". Stable across processes (a shared store can use the same keys).
/// </summary>
public static class FrequencyKey
{
    private const ulong UserIdSeed = 0xF1E0_0001;
    private const ulong BuyerUidSeed = 0xF1E0_0002;
    private const ulong IfaSeed = 0xF1E0_0003;
    private const ulong CampaignSeed = 0xF1E0_0004;

    /// <summary>The request's user key, or 0 when it names no user. Allocates nothing.</summary>
    public static ulong OfUser(BidRequest request)
    {
        var user = request.User;
        if (user.Present && !user.Id.IsNullOrEmpty)
        {
            return NonZero(FeatureHasher.Hash64(UserIdSeed, request[user.Id]));
        }

        if (user.Present && !user.BuyerUid.IsNullOrEmpty)
        {
            return NonZero(FeatureHasher.Hash64(BuyerUidSeed, request[user.BuyerUid]));
        }

        var device = request.Device;
        return device.Present && !device.Ifa.IsNullOrEmpty ? NonZero(FeatureHasher.Hash64(IfaSeed, request[device.Ifa])) : 0;
    }

    /// <summary>The user key of a known id, for notices and tests.</summary>
    public static ulong OfUserId(ReadOnlySpan<byte> userId) => NonZero(FeatureHasher.Hash64(UserIdSeed, userId));

    /// <summary>A campaign's key, computed once when campaigns load.</summary>
    public static ulong OfCampaign(string campaignId) =>
        NonZero(FeatureHasher.Hash64(CampaignSeed, System.Text.Encoding.UTF8.GetBytes(campaignId)));

    private static ulong NonZero(ulong h) => h == 0 ? 1 : h;
}
