using System.Net;

namespace BidEngine.Server.Tests;

/// <summary>
/// /metrics after known traffic: every counter moves by exactly what was sent. The tests of this
/// class share one host and run one after another, so nothing else moves its counters between scrapes.
/// </summary>
public sealed class MetricsTests(BidderHost host) : IClassFixture<BidderHost>
{
    private const string NotJson = "this is not json";
    private const string NoImp = """{"id":"r1","imp":[]}""";

    [Fact]
    public async Task CountsExactlyTheAnswersPathsModelRunsAndDurationsOfKnownTraffic()
    {
        var before = await host.Management.GetStringAsync("/metrics");

        for (var i = 0; i < 5; i++)
        {
            using var response = await host.Client.SendAsync(BidRequests.Post(BidRequests.Banner));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        foreach (var bad in new[] { NotJson, NoImp })
        {
            using var response = await host.Client.SendAsync(BidRequests.Post(bad));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        var after = await host.Management.GetStringAsync("/metrics");
        double Delta(string series) => PrometheusText.Delta(before, after, series);

        Assert.Equal(5, Delta("bidengine_answers_total{outcome=\"bid\"}"));
        Assert.Equal(2, Delta("bidengine_answers_total{outcome=\"refused\"}"));
        Assert.Equal(0, Delta("bidengine_answers_total{outcome=\"nobid\"}"));
        Assert.Equal(0, Delta("bidengine_answers_total{outcome=\"shed\"}"));
        Assert.Equal(0, Delta("bidengine_answers_total{outcome=\"failed\"}"));
        Assert.Equal(5, Delta("bidengine_scoring_path_total{path=\"model\"}"));
        Assert.Equal(0, Delta("bidengine_scoring_path_total{path=\"heuristic\"}"));
        Assert.Equal(0, Delta("bidengine_scoring_path_total{path=\"none\"}"));
        Assert.Equal(0, Delta("bidengine_no_candidates_total"));
        Assert.Equal(7, Delta("bidengine_request_duration_seconds_count"));
        Assert.Equal(0, Delta("bidengine_late_answers_total"));

        // One unbatched model run per bid request, each over the same candidate rows.
        Assert.Equal(5, Delta("bidengine_model_runs_total"));
        var rows = Delta("bidengine_model_rows_total");
        Assert.True(rows >= 5 && rows % 5 == 0, $"{rows} rows in 5 runs of the same request");
        Assert.Equal(0, Delta("bidengine_model_not_started_total"));
        Assert.Equal(0, Delta("bidengine_model_cut_off_total"));
        Assert.Equal(0, Delta("bidengine_model_batched_runs_total"));
        Assert.InRange(PrometheusText.Value(after, "bidengine_model_cost_seconds{rows=\"1\"}"), 1e-7, 0.1);
        Assert.InRange(PrometheusText.Value(after, "bidengine_request_latency_seconds{quantile=\"0.99\"}"), 1e-6, 10);
    }

    [Fact]
    public async Task ExportsTheSignalsAdmissionControlReads()
    {
        var metrics = await host.Management.GetStringAsync("/metrics");

        Assert.InRange(PrometheusText.Value(metrics, "bidengine_threadpool_queue_delay_seconds"), 0, double.MaxValue);
        Assert.Equal(0, PrometheusText.Value(metrics, "bidengine_requests_in_flight"));
        // The CPU-pressure shedder and its gauges are gone: admission reads the queue, not the CPUs.
        Assert.DoesNotContain("bidengine_cpu_busy_ratio", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("bidengine_cpu_shed_ratio", metrics, StringComparison.Ordinal);
    }
}
