using BidEngine.Core.Deadlines;
using Prometheus;

namespace BidEngine.Server.Metrics;

/// <summary>
/// The signals admission control sheds on, as gauges read at each scrape: what an operator looks
/// at to see why the bidder sheds, and how close to shedding it runs.
/// </summary>
internal sealed class OverloadMetrics
{
    public OverloadMetrics(CollectorRegistry registry, AdmissionControl admission)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var queueDelay = factory.CreateGauge("bidengine_threadpool_queue_delay_seconds", "How long work waits in the thread pool now (the queue probe).");
        var inFlight = factory.CreateGauge("bidengine_requests_in_flight", "Bid requests being decided now.");
        var cpuBusy = factory.CreateGauge("bidengine_cpu_busy_ratio", "Busy share of the CPUs the bidder may run on, whoever uses them (smoothed; NaN when not watched).");
        var cpuOwn = factory.CreateGauge("bidengine_cpu_own_ratio", "Share of those CPUs the bidder itself uses (smoothed; NaN when not watched).");
        var heuristicFraction = factory.CreateGauge("bidengine_cpu_heuristic_ratio", "Share of admitted requests priced by the heuristic instead of the model now because the CPUs are saturated.");
        var shedFraction = factory.CreateGauge("bidengine_cpu_shed_ratio", "Share of new requests shed now because the CPUs are saturated (after every admitted one already skips the model).");
        registry.AddBeforeCollectCallback(() =>
        {
            queueDelay.Set(admission.QueueDelayTicks / (double)System.Diagnostics.Stopwatch.Frequency);
            inFlight.Set(admission.InFlight);
            var saturation = admission.Saturation;
            cpuBusy.Set(saturation?.CpuBusy ?? double.NaN);
            cpuOwn.Set(saturation?.CpuOwn ?? double.NaN);
            heuristicFraction.Set(saturation?.HeuristicFraction ?? 0);
            shedFraction.Set(saturation?.ShedFraction ?? 0);
        });
    }
}
