using System.Net;

namespace BidEngine.Server.Tests;

/// <summary>/metrics exports the process's CPU time and its share per bid request.</summary>
public sealed class CpuMetricsTests(BidderHost host) : IClassFixture<BidderHost>
{
    [Fact]
    public async Task ExportsCpuTimeThatGrowsWithTrafficAndItsCostPerRequest()
    {
        var before = await host.Management.GetStringAsync("/metrics");
        var processBefore = Environment.CpuUsage.TotalTime.TotalSeconds;
        for (var i = 0; i < 200; i++)
        {
            using var response = await host.Client.SendAsync(BidRequests.Post(BidRequests.Banner));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var after = await host.Management.GetStringAsync("/metrics");
        var processAfter = Environment.CpuUsage.TotalTime.TotalSeconds;

        var cpuBefore = PrometheusText.Value(before, "bidengine_cpu_seconds_total");
        var cpuAfter = PrometheusText.Value(after, "bidengine_cpu_seconds_total");
        Assert.True(cpuBefore > 0, $"cpu before {cpuBefore}");
        Assert.True(cpuAfter > cpuBefore, $"cpu {cpuBefore} -> {cpuAfter} over 200 requests");

        // The host runs in this test process: its figure is this process's CPU time, read at the scrape.
        Assert.InRange(cpuAfter, processBefore, processAfter);

        // Per request since the previous scrape: the CPU between the two scrapes over 200 requests
        // (plus the scrape itself, which counts as none). The test process's other threads share the
        // figure, so only its bounds are certain.
        var perRequest = PrometheusText.Value(after, "bidengine_cpu_seconds_per_request");
        Assert.InRange(perRequest, double.Epsilon, (cpuAfter - cpuBefore) / 200 * 1.0001);
    }
}
