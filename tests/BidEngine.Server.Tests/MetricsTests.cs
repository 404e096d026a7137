using System.Net;

namespace BidEngine.Server.Tests;

public sealed class MetricsTests(BidderHost host) : IClassFixture<BidderHost>
{
    [Fact]
    public async Task CountsModelScoredAnswersAndExportsLatency()
    {
        using (var response = await host.Client.SendAsync(BidRequests.Post(BidRequests.Banner)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var metrics = await host.Client.GetStringAsync("/metrics");

        Assert.Contains("bidengine_scoring_path_total{path=\"model\"}", metrics);
        Assert.Contains("bidengine_answers_total{outcome=\"bid\"}", metrics);
        Assert.Contains("bidengine_request_duration_seconds_bucket", metrics);
        Assert.Contains("bidengine_request_latency_seconds{quantile=\"0.99\"}", metrics);
    }

    [Fact]
    public async Task ExportsTheSignalsAdmissionControlShedsOn()
    {
        var metrics = await host.Client.GetStringAsync("/metrics");

        Assert.Matches(@"(?m)^bidengine_threadpool_queue_delay_seconds [0-9.eE+-]+$", metrics);
        Assert.Matches(@"(?m)^bidengine_requests_in_flight [0-9]+$", metrics);
        // CPU-based pressure is off in test hosts: NaN busy share, nothing skipped or shed.
        Assert.Contains("bidengine_cpu_busy_ratio NaN", metrics);
        Assert.Contains("bidengine_cpu_heuristic_ratio 0", metrics);
        Assert.Contains("bidengine_cpu_shed_ratio 0", metrics);
    }
}
