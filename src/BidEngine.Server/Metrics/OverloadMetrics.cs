using BidEngine.Core.Deadlines;
using Prometheus;

namespace BidEngine.Server.Metrics;

/// <summary>
/// The signals admission control reads, as gauges at each scrape: the thread pool's queueing delay
/// (the deadline policy counts it as time spent, and sheds once it has used a default window's
/// budget) and the requests in flight (shed above <c>Deadline:MaxInFlight</c>).
/// </summary>
internal sealed class OverloadMetrics
{
    public OverloadMetrics(CollectorRegistry registry, AdmissionControl admission)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var queueDelay = factory.CreateGauge("bidengine_threadpool_queue_delay_seconds", "How long work waits in the thread pool now (the queue probe).");
        var inFlight = factory.CreateGauge("bidengine_requests_in_flight", "Bid requests being decided now.");
        registry.AddBeforeCollectCallback(() =>
        {
            queueDelay.Set(admission.QueueDelayTicks / (double)System.Diagnostics.Stopwatch.Frequency);
            inFlight.Set(admission.InFlight);
        });
    }
}
