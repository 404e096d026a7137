using BidEngine.Server.Hosting;
using Prometheus;

namespace BidEngine.Server.Metrics;

/// <summary>
/// Where money state lives, at <c>/metrics</c>, read at each scrape: for the embedded state its
/// journal (flushes, bytes, records, write failures); on a fleet's store whether the store answers,
/// its round trips by path (background ones over bids and notice ones over notices are the costs to
/// watch), errors, timeouts and latency.
/// </summary>
internal sealed class StateMetrics
{
    public StateMetrics(CollectorRegistry registry, StateService state)
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
            registry.AddBeforeCollectCallback(() =>
            {
                up.Set(store.StoreUp ? 1 : 0);
                notice.IncTo(store.NoticeRoundTrips);
                background.IncTo(store.BackgroundRoundTrips);
                errors.IncTo(store.Errors);
                timeouts.IncTo(store.Timeouts);
                mean.Set(store.MeanLatency.TotalSeconds);
                max.Set(store.MaxLatency.TotalSeconds);
            });
        }
    }
}
