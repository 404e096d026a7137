using System.Text.Json;
using BidEngine.Core.Budgets;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Operations;
using BidEngine.Server.Metrics;

namespace BidEngine.Server.Status;

/// <summary>Per campaign: money from the ledger, pacing from the pacer, wins and losses from notices.</summary>
internal sealed partial class StatusData
{
    private void WriteCampaigns(Utf8JsonWriter w, DateTimeOffset now)
    {
        var all = campaigns.Current.Campaigns;
        var shown = new List<(Campaign Campaign, BudgetBalance? Balance)>(Math.Min(all.Count, MaxCampaigns + 1));
        if (all.Count <= MaxCampaigns)
        {
            // Few: in the file's order, so that each keeps its row from one refresh to the next.
            foreach (var campaign in all)
            {
                shown.Add((campaign, Balance(campaign)));
            }
        }
        else
        {
            // Many: the most spent today, kept in a small sorted list (one walk, no sort of them all).
            foreach (var campaign in all)
            {
                var balance = Balance(campaign);
                var spent = balance?.SpentTodayNanos ?? 0;
                if (shown.Count == MaxCampaigns && spent <= (shown[^1].Balance?.SpentTodayNanos ?? 0))
                {
                    continue;
                }

                var at = shown.FindIndex(c => (c.Balance?.SpentTodayNanos ?? 0) < spent);
                shown.Insert(at < 0 ? shown.Count : at, (campaign, balance));
                if (shown.Count > MaxCampaigns)
                {
                    shown.RemoveAt(shown.Count - 1);
                }
            }
        }

        var counted = OutcomesByCampaign(shown);
        w.WriteStartObject("campaigns"u8);
        w.WriteNumber("count"u8, all.Count);
        w.WriteNumber("shown"u8, shown.Count);
        w.WriteStartArray("items"u8);
        foreach (var (campaign, balance) in shown)
        {
            WriteCampaign(w, campaign, balance, counted.GetValueOrDefault(campaign.Id), now);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private BudgetBalance? Balance(Campaign campaign) => ledger.TryRead(campaign.Id, out var balance) ? balance : null;

    private void WriteCampaign(Utf8JsonWriter w, Campaign campaign, BudgetBalance? balance, (long Impressions, long Clicks) counted, DateTimeOffset now)
    {
        var rules = campaign.Rules;
        w.WriteStartObject();
        w.WriteString("id"u8, campaign.Id);
        w.WriteString("currency"u8, rules.Currency);
        w.WriteString("pacing"u8, LabelValues.Snake(rules.Pacing.ToString()));
        var paced = rules.Pacing == PacingMode.Even && rules.Budget.Daily is not null;
        Number(w, "participation"u8, paced && campaign.Pacer is { } pacer ? pacer.Probability : double.NaN, 4);
        if (balance is { } b)
        {
            Money(w, "spentToday"u8, b.SpentTodayNanos);
            Money(w, "dailyBudget"u8, b.DailyNanos);
            Money(w, "targetByNow"u8, paced && b.DailyNanos is { } daily ? PacingTarget.SpentByNowNanos(daily, now, rules.TimeZone) : null);
            Money(w, "spentTotal"u8, b.SpentNanos);
            Money(w, "totalBudget"u8, b.TotalNanos);
            Money(w, "reserved"u8, b.ReservedNanos);
        }
        else
        {
            // No account in the ledger (not loaded into it yet, or a store out of reach): unknown, not 0.
            foreach (var name in (ReadOnlySpan<string>)["spentToday", "dailyBudget", "targetByNow", "spentTotal", "totalBudget", "reserved"])
            {
                w.WriteNull(name);
            }
        }

        var (wins, losses) = winsAndLosses.Get(campaign.Id);
        w.WriteNumber("wins"u8, wins);
        w.WriteNumber("losses"u8, losses);
        Number(w, "winRate"u8, wins + losses == 0 ? double.NaN : (double)wins / (wins + losses), 4);
        w.WriteNumber("impressions"u8, counted.Impressions);
        w.WriteNumber("clicks"u8, counted.Clicks);
        Number(w, "ctr"u8, counted.Impressions == 0 ? double.NaN : (double)counted.Clicks / counted.Impressions, 5);

        // Frequency-cap skips are counted for all campaigns together (the gate's counter, charted as
        // cappedPerSecond): one per campaign would be work on every bid. Null, and said so on the page.
        w.WriteNull("cappedShare"u8);
        w.WriteEndObject();
    }

    /// <summary>Billed impressions and clicks of the campaigns shown, summed over their placement buckets.</summary>
    private Dictionary<string, (long Impressions, long Clicks)> OutcomesByCampaign(List<(Campaign Campaign, BudgetBalance? Balance)> shown)
    {
        var sums = new Dictionary<string, (long Impressions, long Clicks)>(shown.Count, StringComparer.Ordinal);
        foreach (var (campaign, _) in shown)
        {
            sums[campaign.Id] = (0, 0);
        }

        foreach (var count in outcomes.Snapshot())
        {
            if (sums.TryGetValue(count.CampaignId, out var sum))
            {
                sums[count.CampaignId] = (sum.Impressions + count.Impressions, sum.Clicks + count.Clicks);
            }
        }

        return sums;
    }

    private static void Money(Utf8JsonWriter w, ReadOnlySpan<byte> name, long? nanos)
    {
        if (nanos is { } n)
        {
            w.WriteNumber(name, Core.Budgets.Money.ToUnits(n));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
