using BidEngine.Core.Campaigns;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Core.Features;

/// <summary>
/// Writes the hashed feature ids of one (request, imp, campaign, creative) row straight into the
/// scorer's input. Reads the row's <see cref="FeatureInputs"/> and hashes them by
/// <see cref="FeatureSpec"/>, the same code the training tool runs on logged inputs.
/// 0 B per call.
/// </summary>
public static class FeatureExtractor
{
    /// <summary>Ids per row; see <see cref="FeatureSpec.FeatureCount"/>.</summary>
    public const int FeatureCount = FeatureSpec.FeatureCount;

    public static void Write(BidRequest request, Imp imp, Campaign campaign, Creative creative, DateTime utcNow, Span<long> ids, int hashBits)
    {
        var inputs = FeatureInputs.From(request, imp, campaign, creative, utcNow);
        FeatureSpec.Hash(inputs, ids, hashBits);
    }
}
