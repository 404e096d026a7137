using BidEngine.Core.Campaigns;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Core.Features;

/// <summary>
/// Writes the hashed feature ids of one (request, imp, campaign, creative) row. The one place
/// that defines what the model sees; the training tool calls the same code.
/// </summary>
public static class FeatureExtractor
{
    public const int FeatureCount = 4;

    public static void Write(BidRequest request, Imp imp, Campaign campaign, Creative creative, DateTime utcNow, Span<long> ids, int hashBits)
    {
        var site = request.Site.Present ? request[request.Site.Domain] : request[request.App.Bundle];
        ids[0] = FeatureHasher.Hash(0, site, hashBits);
        ids[1] = FeatureHasher.Hash(1, campaign.IdUtf8, hashBits);
        ids[2] = FeatureHasher.Hash(2, ((long)creative.W << 16) | (uint)creative.H, hashBits);
        ids[3] = FeatureHasher.Hash(3, request.Device.DeviceType, hashBits);
        _ = imp;
        _ = utcNow;
    }
}
