using System.Diagnostics;
using System.Net;
using System.Text.Json;
using BidEngine.Core.Scoring;
using Microsoft.Extensions.DependencyInjection;

namespace BidEngine.Server.Tests;

/// <summary>Answers come before the deadline, from the heuristic when the model is too slow.</summary>
public sealed class DeadlineTests
{
    private const string Tmax300 = """
        {"id":"slow-1","tmax":300,"imp":[{"id":"1","banner":{"w":300,"h":250}}],
         "site":{"domain":"news.example"},"device":{"devicetype":4,"geo":{"country":"USA"}}}
        """;

    /// <remarks>
    /// A 50 ms slack before the deadline: timers fire late on a busy 2-core test machine, and these
    /// tests are about not waiting for a slow model, not about milliseconds.
    /// </remarks>
    private static BidderHost WithScorer(SlowScorer scorer, params string[] settings) =>
        BidderHost.With(services => services.AddSingleton<ICtrScorer>(scorer), ["--BidEngine:Http:DebugPathHeader=true", "--BidEngine:Deadline:AsyncModelSlackMs=50", .. settings]);

    private static async Task<string> Metrics(BidderHost host) => await host.Management.GetStringAsync("/metrics");

    [Fact]
    public async Task FallsBackToTheHeuristicBeforeTheDeadlineWhenTheModelRunsLate()
    {
        // Claims to be instant, takes three seconds: the pipeline must stop waiting before the deadline.
        var scorer = new SlowScorer(TimeSpan.FromSeconds(3), TimeSpan.Zero);
        await using var host = WithScorer(scorer);
        await host.InitializeAsync();
        scorer.Slow = true;

        // The first fallback in a fresh process compiles the timeout path; not counted.
        (await host.Client.SendAsync(BidRequests.Post(Tmax300))).Dispose();
        var before = await Metrics(host);

        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await host.Client.SendAsync(BidRequests.Post(Tmax300));
            watch.Stop();

            var path = response.Headers.GetValues("x-bidengine-path").Single();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode} path {path} after {watch.ElapsedMilliseconds} ms");
            Assert.Equal("heuristic", path);

            // Far less than the scorer's three seconds: the answer did not wait for it.
            Assert.True(watch.ElapsedMilliseconds < 2000, $"answered after {watch.ElapsedMilliseconds} ms");
        }

        Assert.Equal(4, scorer.Calls);
        var metrics = await Metrics(host);
        Assert.Equal(3, PrometheusText.Delta(before, metrics, "bidengine_scoring_path_total{path=\"heuristic\"}"));
        Assert.Equal(0, PrometheusText.Delta(before, metrics, "bidengine_scoring_path_total{path=\"model\"}"));
        Assert.Equal(0, PrometheusText.Delta(before, metrics, "bidengine_late_answers_total"));
    }

    [Fact]
    public async Task DoesNotStartTheModelWhenItsObservedCostDoesNotFit()
    {
        var scorer = new SlowScorer(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
        await using var host = WithScorer(scorer);
        await host.InitializeAsync();
        scorer.Slow = true;

        using var response = await host.Client.SendAsync(BidRequests.Post(Tmax300));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("heuristic", response.Headers.GetValues("x-bidengine-path").Single());
        Assert.Equal(0, scorer.Calls);
    }

    [Fact]
    public async Task AnswersNoBidWithReason15WhenNotEvenTheHeuristicFits()
    {
        var scorer = new SlowScorer(TimeSpan.Zero, TimeSpan.Zero);
        await using var host = WithScorer(scorer, "--BidEngine:Http:NoBidWithBody=true");
        await host.InitializeAsync();
        scorer.Slow = true;

        // tmax 15 minus the 15 ms network reserve leaves nothing.
        using var response = await host.Client.SendAsync(BidRequests.Post(Tmax300.Replace("\"tmax\":300", "\"tmax\":15", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("none", response.Headers.GetValues("x-bidengine-path").Single());
        using var body = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(15, body.RootElement.GetProperty("nbr").GetInt32());
        Assert.Equal("slow-1", body.RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task ShedsWithACheapNoBidWhenTooMuchIsInFlight()
    {
        // One request at a time, and each holds its slot until its deadline (the scorer is slow).
        var scorer = new SlowScorer(TimeSpan.FromSeconds(1), TimeSpan.Zero);
        await using var host = WithScorer(scorer, "--BidEngine:Deadline:MaxInFlight=1");
        await host.InitializeAsync();
        scorer.Slow = true;

        var before = await Metrics(host);
        var first = host.Client.SendAsync(BidRequests.Post(Tmax300));

        // The first request must hold its slot (inside the slow scorer) before the second arrives.
        var waited = Stopwatch.StartNew();
        while (scorer.Calls == 0 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(5);
        }

        Assert.Equal(1, scorer.Calls);
        using var second = await host.Client.SendAsync(BidRequests.Post(Tmax300));
        using var firstResponse = await first;

        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        Assert.Equal("shed", second.Headers.GetValues("x-bidengine-path").Single());
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        var metrics = await Metrics(host);
        Assert.Equal(1, PrometheusText.Delta(before, metrics, "bidengine_answers_total{outcome=\"shed\"}"));
    }
}
