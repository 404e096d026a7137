using BidEngine.Core.Budgets;
using BidEngine.Core.Eligibility;
using BidEngine.Server.Hosting;
using BidEngine.Server.Options;
using Microsoft.Extensions.Options;
using Prometheus;

namespace BidEngine.Server.Metrics;

/// <summary>
/// Money at <c>/metrics</c>, read from the gate, the billing book, the ledger and the budget service
/// at each scrape (the request path only bumps plain counters). Totals always; one series per
/// campaign only while no more than <c>Budgets:PerCampaignMetricsLimit</c> campaigns are loaded, so
/// that a file of 100,000 campaigns does not make 100,000 series. Counted from the moment the
/// server turns ready, like the answers: warm-up bids reserve and are released at once.
/// </summary>
internal sealed class SpendMetrics
{
    private readonly CampaignGate _gate;
    private readonly long[] _skipBase = new long[Enum.GetValues<SkipReason>().Length];
    private readonly long[] _reserveBase = new long[Enum.GetValues<ReserveOutcome>().Length];

    public SpendMetrics(
        CollectorRegistry registry,
        CampaignGate gate,
        BillingBook book,
        BudgetService budgets,
        CampaignStore store,
        IOptions<BidEngineOptions> options)
    {
        _gate = gate;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var skipped = factory.CreateCounter(
            "bidengine_candidates_skipped_total",
            "Index entries not made candidates because the campaign could not bid now, by reason: flight, daypart, frequency_cap, budget (spend plus reservations), pacing.",
            "reason");
        var skippedChildren = Enum.GetValues<SkipReason>().Select(r => skipped.WithLabels(LabelValues.Snake(r.ToString()))).ToArray();
        var reserves = factory.CreateCounter(
            "bidengine_reservations_total",
            "Winning bids' reservations in the ledger by outcome; anything but reserved means the candidate did not bid.",
            "outcome");
        var reserveChildren = Enum.GetValues<ReserveOutcome>().Select(o => reserves.WithLabels(LabelValues.Snake(o.ToString()))).ToArray();
        var settles = factory.CreateCounter(
            "bidengine_billing_total",
            "Billing notices by what the ledger made of them: settled and settled_after_expiry became spend, the rest were refused.",
            "outcome");
        var settleChildren = Enum.GetValues<SettleOutcome>().Select(o => settles.WithLabels(LabelValues.Snake(o.ToString()))).ToArray();
        var expired = factory.CreateCounter("bidengine_reservations_expired_total", "Reservations freed because no billing notice came within Budgets:ReservationTtlSeconds.");
        var late = factory.CreateCounter(
            "bidengine_late_spend_currency_units_total",
            "Spend from billing notices that came after their reservation expired: the only spend that can pass a budget (summed over campaign currencies).");
        var evictions = factory.CreateCounter("bidengine_frequency_cap_evictions_total", "Live user × campaign counts evicted from the full frequency table: each may let that user see the campaign past its cap.");
        var paced = factory.CreateGauge("bidengine_campaigns_paced", "Campaigns whose even pacing bid on less than every eligible request at the last pacing step.");
        var exhausted = factory.CreateGauge("bidengine_campaigns_exhausted", "Campaigns whose total or daily budget was taken by spend plus reservations at the last pacing step.");
        var spent = factory.CreateGauge("bidengine_campaign_spent_currency_units", "Billed spend per campaign in its currency (today and total), while few campaigns are loaded.", "campaign", "period");
        var budget = factory.CreateGauge(
            "bidengine_campaign_budget_currency_units",
            "Budget per campaign in its currency (total, and today for a daily budget), beside bidengine_campaign_spent_currency_units; none for no limit.",
            "campaign",
            "period");
        var reserved = factory.CreateGauge("bidengine_campaign_reserved_currency_units", "Outstanding reservations per campaign in its currency, while few campaigns are loaded.", "campaign");
        var records = factory.CreateGauge("bidengine_ledger_records", "Reservation records the ledger holds (outstanding and remembered for late notices); at bidengine_ledger_capacity every bid is refused.");
        var capacity = factory.CreateGauge("bidengine_ledger_capacity", "The most reservation records the ledger holds (Budgets:MaxReservations).");
        capacity.Set(budgets.LedgerCapacity);
        var limit = options.Value.Budgets.PerCampaignMetricsLimit;

        registry.AddBeforeCollectCallback(() =>
        {
            for (var i = 0; i < skippedChildren.Length; i++)
            {
                skippedChildren[i].IncTo(gate.SkippedCount((SkipReason)i) - Volatile.Read(ref _skipBase[i]));
            }

            for (var i = 0; i < reserveChildren.Length; i++)
            {
                reserveChildren[i].IncTo(gate.ReserveCount((ReserveOutcome)i) - Volatile.Read(ref _reserveBase[i]));
            }

            for (var i = 0; i < settleChildren.Length; i++)
            {
                settleChildren[i].IncTo(book.Count((SettleOutcome)i));
            }

            expired.IncTo(budgets.ExpiredTotal);
            late.IncTo((double)Money.ToUnits(book.LateNanos));
            evictions.IncTo(book.Caps is Core.FrequencyCaps.FrequencyCapTable table ? table.Evictions : 0);
            paced.Set(budgets.PacedCampaigns);
            exhausted.Set(budgets.ExhaustedCampaigns);
            if (budgets.LedgerRecords >= 0)
            {
                records.Set(budgets.LedgerRecords);
            }

            var campaigns = store.Current.Campaigns;
            if (campaigns.Count <= limit)
            {
                foreach (var campaign in campaigns)
                {
                    if (book.Ledger.TryRead(campaign.Id, out var balance))
                    {
                        spent.WithLabels(campaign.Id, "total").Set((double)Money.ToUnits(balance.SpentNanos));
                        spent.WithLabels(campaign.Id, "today").Set((double)Money.ToUnits(balance.SpentTodayNanos));
                        reserved.WithLabels(campaign.Id).Set((double)Money.ToUnits(balance.ReservedNanos));
                        SetBudget(budget, campaign.Id, "total", balance.TotalNanos);
                        SetBudget(budget, campaign.Id, "today", balance.DailyNanos);
                    }
                }
            }
        });
    }

    /// <summary>A limit the campaign has is a series; one it lost on a reload is removed rather than left standing.</summary>
    private static void SetBudget(Gauge budget, string campaign, string period, long? nanos)
    {
        if (nanos is { } limit)
        {
            budget.WithLabels(campaign, period).Set((double)Money.ToUnits(limit));
        }
        else
        {
            budget.RemoveLabelled(campaign, period);
        }
    }

    /// <summary>Counting starts at ready: what the warm-up counted is the baseline.</summary>
    public void StartRecording()
    {
        for (var i = 0; i < _skipBase.Length; i++)
        {
            Volatile.Write(ref _skipBase[i], _gate.SkippedCount((SkipReason)i));
        }

        for (var i = 0; i < _reserveBase.Length; i++)
        {
            Volatile.Write(ref _reserveBase[i], _gate.ReserveCount((ReserveOutcome)i));
        }
    }
}
