using System.Globalization;
using BidEngine.Core.Budgets;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Eligibility;
using BidEngine.Core.Heuristics;

namespace BidEngine.Core.Notices;

/// <summary>
/// Checks the query of an impression or click notice and counts it toward its campaign ×
/// placement bucket in <see cref="OutcomeCounts"/>. Only pairs the current campaigns can bid on
/// are stored, so made-up ids cannot grow memory; those are reported for a metric instead.
/// With a <see cref="BillingBook"/>, an impression notice is a billing notice: checked, it becomes a
/// <see cref="BillingNotice"/> that the book settles, and it counts toward the priors only if the
/// ledger took it as spend, so a replayed notice counts once everywhere.
/// </summary>
public sealed class OutcomeNotices(Func<CampaignSnapshot> campaigns, OutcomeCounts counts, BillingBook? billing = null)
{
    /// <summary>Longest campaign id accepted in a notice; campaign ids are short names.</summary>
    public const int MaxCampaignIdLength = 256;

    /// <summary>Highest clearing price accepted, CPM: far above any real one, in any currency dealt in.</summary>
    public const double MaxPriceCpm = 1_000_000;

    public OutcomeCounts Counts => counts;

    /// <summary>
    /// Records one notice from its query parameters (<see cref="NoticeUrls"/> names them): the campaign
    /// id, the bucket key and, for impressions, the clearing price (CPM), the bid id, the user key and
    /// the currency. A null parameter is missing; the bid id is required only when notices are billed.
    /// </summary>
    public NoticeResult Record(NoticeKind kind, string? campaignId, string? bucket, string? price, string? bidId = null, string? user = null, string? currency = null)
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

        var billed = kind == NoticeKind.Impression && billing is not null;
        long bid = 0;
        ulong userKey = 0;
        var snapshot = campaigns();
        var currencyIndex = 0;
        if (billed)
        {
            if (string.IsNullOrEmpty(bidId))
            {
                return NoticeResult.Missing(NoticeUrls.BidParameter);
            }

            if (!long.TryParse(bidId, NumberStyles.None, CultureInfo.InvariantCulture, out bid) || bid <= 0)
            {
                return NoticeResult.Malformed(NoticeUrls.BidParameter, "the bid id (a positive whole number)");
            }

            if (!string.IsNullOrEmpty(user) && !ulong.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out userKey))
            {
                return NoticeResult.Malformed(NoticeUrls.UserParameter, "a user key (a non-negative whole number)");
            }

            if (!string.IsNullOrEmpty(currency) && (currencyIndex = snapshot.Currencies.IndexOf(System.Text.Encoding.ASCII.GetBytes(currency))) < 0)
            {
                return NoticeResult.Malformed(NoticeUrls.CurrencyParameter, "the code of a currency the bidder has a rate for");
            }
        }

        if (!snapshot.TryGetCampaign(campaignId, out var campaign))
        {
            return new NoticeResult(NoticeOutcome.UnknownCampaign, priceCpm);
        }

        if (!PlacementBucket.IsBucketOf(campaign, bucketKey))
        {
            return new NoticeResult(NoticeOutcome.UnknownBucket, priceCpm);
        }

        if (billed)
        {
            var nanos = CampaignGate.ToCampaignNanos(priceCpm, currencyIndex, campaign, snapshot.Currencies);
            var settled = billing!.Bill(new BillingNotice(campaign, bid, userKey, bucketKey, nanos, priceCpm));
            if (!BillingBook.IsSpend(settled))
            {
                return new NoticeResult(NoticeOutcome.NotBilled, priceCpm, Settle: settled);
            }

            counts.AddImpression(campaign.Id, bucketKey);
            return new NoticeResult(NoticeOutcome.Recorded, priceCpm, Settle: settled);
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
