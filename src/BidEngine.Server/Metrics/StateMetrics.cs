using BidEngine.Core.Budgets;
using BidEngine.Server.Hosting;
using BidEngine.Server.Options;
using Microsoft.Extensions.Options;
using Prometheus;

namespace BidEngine.Server.Metrics;

/// <summary>
/// Where money state lives, at <c>/metrics</c>, read at each scrape: for the embedded state its
/// journal (flushes, bytes, records, write failures); on a fleet's store whether the store answers,
/// its round trips by path (background ones over bids and notice ones over notices are the costs to
/// watch), errors, timeouts and latency, and each campaign's slice and what reservations hold of it.
/// </summary>
internal sealed class StateMetrics
{
    public StateMetrics(CollectorRegistry registry, StateService state, CampaignStore campaigns, IOptions<BidEngineOptions> options)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        if (state.State is { } embedded)
        {
            var journal = embedded.Journal;
            var flushes = factory.CreateCounter("bidengine_state_journal_flushes_total", "Batches the state journal wrote and fsynced (each notice waits for the next one).");
            var records = factory.CreateCounter("bidengine_state_journal_records_total", "State changes written to the journal.");
            var bytes = factory.CreateCounter("bidengine_state_journal_bytes_total", "Bytes written to the journal.");
            var failures = factory.CreateCounter("bidengine_state_journal_failures_total", "Batches that could not be written (kept and retried; notices waiting on them answered 503).");
            registry.AddBeforeCollectCallback(() =>
            {
                flushes.IncTo(journal.Flushes);
                records.IncTo(journal.RecordsWritten);
                bytes.IncTo(journal.BytesWritten);
                failures.IncTo(journal.Failures);
            });
        }

        if (state.Shared is { } shared)
        {
            var store = shared.Metrics;
            var up = factory.CreateGauge("bidengine_store_up", "1 while the last operation reached the shared store, 0 while it does not answer (bids go on from the leases held).");
            var trips = factory.CreateCounter("bidengine_store_round_trips_total", "Operations sent to the shared store, by path: notice (settle, remote loss, replay mark) or background (leases, inbox, heartbeat).", "path");
            var notice = trips.WithLabels("notice");
            var background = trips.WithLabels("background");
            var errors = factory.CreateCounter("bidengine_store_errors_total", "Store operations that failed (out of reach, timed out, script error).");
            var timeouts = factory.CreateCounter("bidengine_store_timeouts_total", "Of the errors, operations that ran out of their timeout.");
            var latency = factory.CreateGauge("bidengine_store_latency_seconds", "Latency of successful store operations since start: mean and max.", "stat");
            var mean = latency.WithLabels("mean");
            var max = latency.WithLabels("max");
            var slice = factory.CreateGauge("bidengine_lease_slice_currency_units", "This node's leased slice of each budgeted campaign, in its currency, while few campaigns are loaded.", "campaign");
            var held = factory.CreateGauge("bidengine_lease_reserved_currency_units", "What this node's outstanding reservations hold of that slice.", "campaign");
            var limit = options.Value.Budgets.PerCampaignMetricsLimit;
            registry.AddBeforeCollectCallback(() =>
            {
                up.Set(store.StoreUp ? 1 : 0);
                notice.IncTo(store.NoticeRoundTrips);
                background.IncTo(store.BackgroundRoundTrips);
                errors.IncTo(store.Errors);
                timeouts.IncTo(store.Timeouts);
                mean.Set(store.MeanLatency.TotalSeconds);
                max.Set(store.MaxLatency.TotalSeconds);
                if (campaigns.Current.Campaigns.Count <= limit)
                {
                    foreach (var (campaign, sliceNanos, reservedNanos) in shared.LeasedLedger.Leases())
                    {
                        slice.WithLabels(campaign).Set((double)Money.ToUnits(sliceNanos));
                        held.WithLabels(campaign).Set((double)Money.ToUnits(reservedNanos));
                    }
                }
            });
        }
    }
}
