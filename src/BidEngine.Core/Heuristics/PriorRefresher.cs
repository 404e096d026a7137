using System.Globalization;

namespace BidEngine.Core.Heuristics;

/// <summary>
/// Refreshes the heuristic's prior CTRs from what this bidder observed: builds a new table from
/// the shipped one plus every impression and click counted so far, and swaps it into the
/// <see cref="PriorCtrSource"/> the deadline policy reads. Each cell is the Beta-Binomial
/// posterior mean with the shipped CTR as the prior, worth <c>m</c> impressions:
/// <c>ctr = (clicks observed + m × ctr shipped) / (impressions observed + m)</c>. A bucket
/// observed but not shipped starts from its campaign's shipped CTR; a campaign's own CTR is
/// refreshed the same way from the sums over its buckets. Runs off the request path (a timer).
/// </summary>
public sealed class PriorRefresher
{
    // A refreshed CTR stays a usable probability: the table ignores 0 and 1.
    private const double MinCtr = 1e-9;
    private const double MaxCtr = 1 - 1e-9;

    private readonly PriorCtrSource _source;
    private readonly OutcomeCounts _counts;
    private readonly Func<string, double> _campaignFallback;
    private readonly string? _savePath;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private long _lastImpressions;
    private long _lastClicks;

    /// <param name="source">The holder the heuristic reads; its current table is taken as the shipped one.</param>
    /// <param name="counts">What this bidder observed.</param>
    /// <param name="priorStrengthImpressions">m: how many impressions the shipped CTR counts for.</param>
    /// <param name="campaignFallback">The prior of a campaign the shipped table does not know (its configured <c>ctrPrior</c>).</param>
    /// <param name="savePath">Where to write each refreshed table (atomically), or null.</param>
    /// <param name="time">Clock for the table's source note.</param>
    public PriorRefresher(
        PriorCtrSource source,
        OutcomeCounts counts,
        double priorStrengthImpressions,
        Func<string, double> campaignFallback,
        string? savePath = null,
        TimeProvider? time = null)
    {
        if (!double.IsFinite(priorStrengthImpressions) || priorStrengthImpressions <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(priorStrengthImpressions), priorStrengthImpressions, "must be positive");
        }

        _source = source;
        _counts = counts;
        Shipped = source.Current.File;
        PriorStrengthImpressions = priorStrengthImpressions;
        _campaignFallback = campaignFallback;
        _savePath = string.IsNullOrWhiteSpace(savePath) ? null : savePath;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The table shipped with the model (or loaded at start); every refresh starts again from it.</summary>
    public PriorCtrFile Shipped { get; }

    public double PriorStrengthImpressions { get; }

    /// <summary>
    /// Builds and swaps in a table from the shipped one and all counts so far, and saves it when a
    /// save path is set. Does nothing when nothing new was observed since the last refresh.
    /// Safe to call from several threads; returns true when a new table was swapped in.
    /// </summary>
    public bool Refresh()
    {
        lock (_lock)
        {
            var observed = _counts.Snapshot();
            long impressions = 0, clicks = 0;
            foreach (var count in observed)
            {
                impressions += count.Impressions;
                clicks += count.Clicks;
            }

            if (impressions == _lastImpressions && clicks == _lastClicks)
            {
                return false;
            }

            var note = string.Create(
                CultureInfo.InvariantCulture,
                $"refreshed {_time.GetUtcNow():yyyy-MM-dd HH:mm:ss}Z from {impressions} impressions and {clicks} clicks observed by the bidder");
            var file = Build(Shipped, observed, PriorStrengthImpressions, _campaignFallback, note);
            _source.Replace(new PriorCtrTable(file));
            _lastImpressions = impressions;
            _lastClicks = clicks;
            if (_savePath is not null)
            {
                SaveAtomically(file, _savePath);
            }

            return true;
        }
    }

    /// <summary>
    /// The refreshed table as a new file; <paramref name="shipped"/> is not changed. Impressions
    /// and clicks of a refreshed cell are the shipped ones plus the observed ones, so the saved
    /// file says how much data stands behind each CTR.
    /// </summary>
    public static PriorCtrFile Build(
        PriorCtrFile shipped, IReadOnlyCollection<OutcomeCount> observed, double priorStrengthImpressions, Func<string, double> campaignFallback, string note)
    {
        var m = priorStrengthImpressions;
        var result = new PriorCtrFile
        {
            Description = (shipped.Description is null ? "" : shipped.Description + " ")
                + $"Refreshed online with observed outcomes: ctr = (clicks observed + {m} x ctr shipped) / (impressions observed + {m}); "
                + "a bucket not shipped starts from its campaign's ctr; impressions and clicks are shipped plus observed.",
            Source = string.IsNullOrEmpty(shipped.Source) ? note : shipped.Source + "; " + note,
            GlobalCtr = shipped.GlobalCtr,
            SmoothingImpressions = shipped.SmoothingImpressions,
        };

        var campaigns = new Dictionary<string, PriorCtrCampaign>(StringComparer.Ordinal);
        foreach (var campaign in shipped.Campaigns)
        {
            var copy = new PriorCtrCampaign
            {
                Id = campaign.Id,
                Ctr = campaign.Ctr,
                Impressions = campaign.Impressions,
                Clicks = campaign.Clicks,
                Buckets = campaign.Buckets.Select(Copy).ToList(),
            };
            result.Campaigns.Add(copy);
            campaigns.TryAdd(copy.Id, copy);
        }

        foreach (var group in observed.GroupBy(o => o.CampaignId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (!campaigns.TryGetValue(group.Key, out var campaign))
            {
                campaign = new PriorCtrCampaign { Id = group.Key, Ctr = campaignFallback(group.Key) };
                result.Campaigns.Add(campaign);
                campaigns.Add(campaign.Id, campaign);
            }

            var campaignPrior = IsProbability(campaign.Ctr) ? campaign.Ctr : campaignFallback(group.Key);
            var buckets = new Dictionary<long, PriorCtrBucket>();
            foreach (var bucket in campaign.Buckets)
            {
                buckets.TryAdd(PlacementBucket.Key(bucket.Kind, bucket.W, bucket.H, bucket.DeviceClass), bucket);
            }

            long impressions = 0, clicks = 0;
            foreach (var count in group.OrderBy(c => c.Bucket))
            {
                impressions += count.Impressions;
                clicks += count.Clicks;
                if (!buckets.TryGetValue(count.Bucket, out var bucket))
                {
                    var (kind, w, h, deviceClass) = PlacementBucket.Unpack(count.Bucket);
                    bucket = new PriorCtrBucket
                    {
                        Name = PlacementBucket.Name(kind, w, h, deviceClass),
                        Kind = kind,
                        W = w,
                        H = h,
                        DeviceClass = deviceClass,
                        Ctr = campaignPrior,
                    };
                    campaign.Buckets.Add(bucket);
                    buckets.Add(count.Bucket, bucket);
                }

                var bucketPrior = IsProbability(bucket.Ctr) ? bucket.Ctr : campaignPrior;
                bucket.Ctr = Posterior(count.Clicks, count.Impressions, bucketPrior, m);
                bucket.Impressions += count.Impressions;
                bucket.Clicks += count.Clicks;
            }

            campaign.Ctr = Posterior(clicks, impressions, campaignPrior, m);
            campaign.Impressions += impressions;
            campaign.Clicks += clicks;
        }

        return result;
    }

    /// <summary>
    /// The Beta-Binomial posterior mean: a Beta prior with mean <paramref name="prior"/> worth
    /// <paramref name="m"/> impressions, updated with what was observed. Kept strictly between 0
    /// and 1 (more clicks than impressions can be reported), so the table never drops the cell.
    /// </summary>
    public static double Posterior(long clicks, long impressions, double prior, double m)
    {
        var ctr = (clicks + (m * prior)) / (impressions + m);
        return Math.Clamp(ctr, MinCtr, MaxCtr);
    }

    /// <summary>Writes <paramref name="file"/> beside its final name, then renames it into place: a reader never sees half a table.</summary>
    public static void SaveAtomically(PriorCtrFile file, string path)
    {
        var temporary = path + ".tmp";
        PriorCtrTable.SaveFile(file, temporary);
        File.Move(temporary, path, overwrite: true);
    }

    private static PriorCtrBucket Copy(PriorCtrBucket b) => new()
    {
        Name = b.Name,
        Kind = b.Kind,
        W = b.W,
        H = b.H,
        DeviceClass = b.DeviceClass,
        Ctr = b.Ctr,
        Impressions = b.Impressions,
        Clicks = b.Clicks,
    };

    private static bool IsProbability(double p) => p is > 0 and < 1;
}
