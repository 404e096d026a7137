using Prometheus;

namespace BidEngine.Server.Metrics;

/// <summary>
/// What a bid request costs in CPU, for Prometheus to divide: the process's own CPU time as a
/// counter (<c>rate(bidengine_cpu_seconds_total[1m]) / rate(bidengine_request_duration_seconds_count[1m])</c>),
/// and the same quotient between two scrapes as a gauge for a glance. Read at each scrape from
/// <see cref="Environment.CpuUsage"/> (getrusage: user + system time of every thread); nothing
/// on the request path.
/// </summary>
internal sealed class CpuMetrics
{
    private readonly object _scrapeLock = new();
    private double _lastCpuSeconds;
    private long _lastRequests;

    public CpuMetrics(CollectorRegistry registry, BidMetrics bids)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var total = factory.CreateCounter(
            "bidengine_cpu_seconds_total",
            "CPU time used by the bidder process (user + system, all threads, background work included), in seconds.");
        var perRequest = factory.CreateGauge(
            "bidengine_cpu_seconds_per_request",
            "CPU seconds of the whole process per bid request finished, between the previous scrape and this one (0 when no request finished).");
        _lastCpuSeconds = CpuSeconds();
        _lastRequests = bids.FinishedCount;
        registry.AddBeforeCollectCallback(() =>
        {
            lock (_scrapeLock)
            {
                var cpu = CpuSeconds();
                var requests = bids.FinishedCount;
                total.IncTo(cpu);
                perRequest.Set(requests > _lastRequests ? (cpu - _lastCpuSeconds) / (requests - _lastRequests) : 0);
                _lastCpuSeconds = cpu;
                _lastRequests = requests;
            }
        });
    }

    private static double CpuSeconds() => Environment.CpuUsage.TotalTime.TotalSeconds;
}
