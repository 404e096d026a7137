using BidEngine.Core.Heuristics;
using BidEngine.Training.Data;

namespace BidEngine.Training.Priors;

/// <summary>
/// Builds the deadline fallback's prior table from training rows: clicks / impressions per
/// campaign and per campaign × placement bucket, each smoothed toward its parent (global →
/// campaign → bucket) with a fixed number of pseudo-impressions, so that a thin cell says
/// about what its parent says and a thick one says what it saw. The smoothing is the same
/// posterior the bidder refreshes its table with online (<see cref="PriorRefresher.Posterior"/>).
/// </summary>
internal static class PriorBuilder
{
    public const double CampaignPseudoImpressions = 2000;
    public const double BucketPseudoImpressions = 1000;

    /// <summary>Cells with fewer impressions are left out (the campaign's value answers for them).</summary>
    public const long MinBucketImpressions = 200;

    public static PriorCtrFile Build(Dataset data, int end, string source)
    {
        var impressions = new long[data.Cells.Count];
        var clicks = new long[data.Cells.Count];
        long totalImpressions = 0, totalClicks = 0;
        for (var i = 0; i < end; i++)
        {
            impressions[data.Cell[i]]++;
            clicks[data.Cell[i]] += data.Labels[i];
            totalImpressions++;
            totalClicks += data.Labels[i];
        }

        var global = totalImpressions == 0 ? 0 : (double)totalClicks / totalImpressions;
        var file = new PriorCtrFile
        {
            Description = "Prior CTR per campaign and per campaign x placement bucket (creative kind and size x device class), "
                + $"for the deadline fallback. Smoothed: campaign = (clicks + {CampaignPseudoImpressions} x global) / (impressions + {CampaignPseudoImpressions}); "
                + $"bucket = (clicks + {BucketPseudoImpressions} x campaign) / (impressions + {BucketPseudoImpressions}); buckets under {MinBucketImpressions} impressions are left to the campaign value.",
            Source = source,
            GlobalCtr = global,
            SmoothingImpressions = BucketPseudoImpressions,
        };

        foreach (var campaign in data.Cells.Select((cell, index) => (cell, index)).GroupBy(x => x.cell.CampaignId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ci = campaign.Sum(x => impressions[x.index]);
            var cc = campaign.Sum(x => clicks[x.index]);
            var campaignCtr = PriorRefresher.Posterior(cc, ci, global, CampaignPseudoImpressions);
            var entry = new PriorCtrCampaign { Id = campaign.Key, Ctr = Math.Round(campaignCtr, 6), Impressions = ci, Clicks = cc };
            var buckets = campaign
                .GroupBy(x => (x.cell.Kind, x.cell.W, x.cell.H, x.cell.DeviceClass))
                .Select(g => (g.Key, Impressions: g.Sum(x => impressions[x.index]), Clicks: g.Sum(x => clicks[x.index])))
                .Where(b => b.Impressions >= MinBucketImpressions)
                .OrderBy(b => b.Key);
            foreach (var (key, bi, bc) in buckets)
            {
                entry.Buckets.Add(new PriorCtrBucket
                {
                    Name = PlacementBucket.Name(key.Kind, key.W, key.H, key.DeviceClass),
                    Kind = key.Kind,
                    W = key.W,
                    H = key.H,
                    DeviceClass = key.DeviceClass,
                    Ctr = Math.Round(PriorRefresher.Posterior(bc, bi, campaignCtr, BucketPseudoImpressions), 6),
                    Impressions = bi,
                    Clicks = bc,
                });
            }

            file.Campaigns.Add(entry);
        }

        return file;
    }

    /// <summary>The table's prediction for every row in [from, to), for evaluating the fallback like the model.</summary>
    public static double[] Predict(PriorCtrTable table, Dataset data, int from, int to)
    {
        var result = new double[to - from];
        for (var i = from; i < to; i++)
        {
            var cell = data.Cells[data.Cell[i]];
            result[i - from] = table.Lookup(cell.CampaignId, PlacementBucket.Key(cell.Kind, cell.W, cell.H, cell.DeviceClass), table.File.GlobalCtr);
        }

        return result;
    }
}
