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
}
