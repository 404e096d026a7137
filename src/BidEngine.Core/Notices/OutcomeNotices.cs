using System.Globalization;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Heuristics;

namespace BidEngine.Core.Notices;

/// <summary>
/// Checks the query of an impression or click notice and counts it toward its campaign ×
/// placement bucket in <see cref="OutcomeCounts"/>. Only pairs the current campaigns can bid on
/// are stored, so made-up ids cannot grow memory; those are reported for a metric instead.
/// </summary>
public sealed class OutcomeNotices(Func<CampaignSnapshot> campaigns, OutcomeCounts counts)
{
    /// <summary>Longest campaign id accepted in a notice; campaign ids are short names.</summary>
    public const int MaxCampaignIdLength = 256;

    /// <summary>Highest clearing price accepted, CPM: far above any real one, in any currency dealt in.</summary>
    public const double MaxPriceCpm = 1_000_000;

    public OutcomeCounts Counts => counts;

    /// <summary>
    /// Records one notice from its query parameters (<see cref="NoticeUrls"/> names them): the campaign
    /// id, the bucket key and, for impressions, the clearing price (CPM). A null parameter is missing.
    /// </summary>
    public NoticeResult Record(NoticeKind kind, string? campaignId, string? bucket, string? price)
    {
        if (string.IsNullOrEmpty(campaignId))
        {
            return NoticeResult.Missing(NoticeUrls.CampaignParameter);
        }

        if (campaignId.Length > MaxCampaignIdLength)
        {
            return NoticeResult.Malformed(NoticeUrls.CampaignParameter, $"a campaign id of at most {MaxCampaignIdLength} characters");
        }

        if (string.IsNullOrEmpty(bucket))
        {
            return NoticeResult.Missing(NoticeUrls.BucketParameter);
        }

        if (!long.TryParse(bucket, NumberStyles.None, CultureInfo.InvariantCulture, out var bucketKey))
        {
            return NoticeResult.Malformed(NoticeUrls.BucketParameter, "a placement bucket key (a non-negative whole number)");
        }

        double priceCpm = 0;
        if (kind == NoticeKind.Impression)
        {
            if (string.IsNullOrEmpty(price))
            {
                return NoticeResult.Missing(NoticeUrls.PriceParameter);
            }

            // No sign, no exponent: a clearing price is a plain non-negative decimal. An exchange
            // that left the macro unsubstituted (or encrypted it) sends something else.
            if (!double.TryParse(price, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out priceCpm)
                || !double.IsFinite(priceCpm) || priceCpm < 0 || priceCpm > MaxPriceCpm)
            {
                return NoticeResult.Malformed(NoticeUrls.PriceParameter, $"the clearing price as a plain decimal CPM between 0 and {MaxPriceCpm}");
            }
        }

        if (!campaigns().TryGetCampaign(campaignId, out var campaign))
        {
            return new NoticeResult(NoticeOutcome.UnknownCampaign, priceCpm);
        }

        if (!PlacementBucket.IsBucketOf(campaign, bucketKey))
        {
            return new NoticeResult(NoticeOutcome.UnknownBucket, priceCpm);
        }

        // The campaign's own id string is stored, never the caller's.
        if (kind == NoticeKind.Impression)
        {
            counts.AddImpression(campaign.Id, bucketKey);
        }
        else
        {
            counts.AddClick(campaign.Id, bucketKey);
        }

        return new NoticeResult(NoticeOutcome.Recorded, priceCpm);
    }
}
