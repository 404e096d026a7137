using System.Text.Json;
using BidEngine.Server.Options;

namespace BidEngine.Server.Tests.Operations;

/// <summary>
/// deploy/prometheus and deploy/grafana against the real tools and a real bidder: promtool accepts
/// the configuration and the rules and passes the rules' unit tests; Prometheus (Debian's package)
/// started on the shipped configuration scrapes a running bidder and evaluates every rule without
/// error; and every series the rules and the dashboard name is one the bidder exports or a rule
/// records, so that neither can drift from the code.
/// </summary>
public sealed class PrometheusDeployTests(ScrapedBidder node) : IClassFixture<ScrapedBidder>
{
    [Fact]
    public async Task PromtoolAcceptsTheShippedConfigurationAndRules()
    {
        var config = await PrometheusServer.PromtoolAsync(DeployFiles.Prometheus, "check", "config", DeployFiles.ScrapeConfig);
        Assert.True(config.ExitCode == 0, config.Output);
        Assert.Contains("SUCCESS: 1 rule files found", config.Output, StringComparison.Ordinal);

        var rules = await PrometheusServer.PromtoolAsync(DeployFiles.Prometheus, "check", "rules", DeployFiles.Rules);
        Assert.True(rules.ExitCode == 0, rules.Output);

        // It scrapes where a bidder serves /metrics by default: the management listener.
        Assert.Equal(DeployFiles.ShippedTarget, new Uri(new ManagementOptions().Url).Authority);
        Assert.Contains("- " + DeployFiles.ShippedTarget + "\n", await File.ReadAllTextAsync(DeployFiles.ScrapeConfig), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryAlertFiresAndStaysQuietInTheRulesUnitTests()
    {
        var tests = await PrometheusServer.PromtoolAsync(DeployFiles.Prometheus, "test", "rules", Path.GetFileName(DeployFiles.RuleTests));
        Assert.True(tests.ExitCode == 0, tests.Output);

        // Each alert has cases of its own, so an alert added without a test, or renamed, fails here.
        var testText = await File.ReadAllTextAsync(DeployFiles.RuleTests);
        var alerts = (await File.ReadAllLinesAsync(DeployFiles.Rules))
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("- alert: ", StringComparison.Ordinal))
            .Select(l => l["- alert: ".Length..])
            .ToList();
        Assert.Equal(8, alerts.Count);
        Assert.All(alerts, alert => Assert.Contains("- alertname: " + alert + "\n", testText, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PrometheusWithTheShippedConfigurationScrapesTheBidderAndEvaluatesEveryRule()
    {
        var prometheus = node.Prometheus;

        // The target is listed once discovery has run and turns up at its first scrape (every second
        // in the test copy); 30 s at most.
        var targets = new List<JsonElement>();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            targets = (await prometheus.GetAsync("/api/v1/targets")).GetProperty("activeTargets").EnumerateArray().ToList();
            if (targets.Count > 0 && targets.All(t => t.GetProperty("health").GetString() == "up"))
            {
                break;
            }

            await Task.Delay(250);
        }

        var target = Assert.Single(targets);
        Assert.True(target.GetProperty("health").GetString() == "up", $"target: {target}\n{prometheus.Output}");
        Assert.Equal("bidengine", target.GetProperty("labels").GetProperty("job").GetString());
        Assert.Equal($"http://{node.Target}/metrics", target.GetProperty("scrapeUrl").GetString());

        var answers = await prometheus.QueryAsync("bidengine_answers_total");
        Assert.True(answers.Ok && answers.Result.GetArrayLength() > 0, answers.Body);
        Assert.All(answers.Result.EnumerateArray(), s => Assert.Equal(node.Target, s.GetProperty("metric").GetProperty("instance").GetString()));

        // Every rule evaluated (once a second here) against the bidder's real series, without an error.
        var rules = await WhenEveryRuleEvaluatedAsync(prometheus);
        Assert.All(rules, r => Assert.True(r.GetProperty("health").GetString() == "ok", r.ToString()));

        // A recording rule over a rate has a value once two scrapes are in.
        var recorded = await prometheus.QueryAsync("instance:bidengine_answers:rate5m");
        until = DateTime.UtcNow.AddSeconds(15);
        while (!(recorded.Ok && recorded.Result.GetArrayLength() > 0) && DateTime.UtcNow < until)
        {
            await Task.Delay(250);
            recorded = await prometheus.QueryAsync("instance:bidengine_answers:rate5m");
        }

        Assert.True(recorded.Ok && recorded.Result.GetArrayLength() == 1, recorded.Body);
    }

    [Fact]
    public async Task EverySeriesTheRulesNameIsOneTheBidderExportsOrARuleRecords()
    {
        var rules = await RulesAsync(node.Prometheus);
        var recorded = RecordedNames(rules);
        var samples = MetricNames.Samples(node.Metrics);
        var missing = rules
            .SelectMany(r => MetricNames.Selectors(r.GetProperty("query").GetString()!))
            .Select(s => MetricNames.Missing(s, samples, recorded))
            .OfType<string>()
            .Distinct()
            .ToList();

        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public async Task EverySeriesTheDashboardNamesIsOneTheBidderExportsOrARuleRecordsAndEveryQueryRuns()
    {
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(DeployFiles.Dashboard));
        var root = dashboard.RootElement;
        Assert.InRange(root.GetProperty("schemaVersion").GetInt32(), 36, 41);
        Assert.Contains(root.GetProperty("__inputs").EnumerateArray(), i => i.GetProperty("name").GetString() == "DS_PROMETHEUS" && i.GetProperty("pluginId").GetString() == "prometheus");

        var panels = root.GetProperty("panels").EnumerateArray().ToList();
        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        var queries = new List<string>();
        foreach (var panel in panels.Where(p => p.GetProperty("type").GetString() != "row"))
        {
            Assert.Equal("${DS_PROMETHEUS}", panel.GetProperty("datasource").GetProperty("uid").GetString());
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            Assert.NotEmpty(targets);
            queries.AddRange(targets.Select(t => t.GetProperty("expr").GetString()!));
        }

        queries.AddRange(root.GetProperty("templating").GetProperty("list").EnumerateArray().Select(v => v.GetProperty("definition").GetString()!));

        var recorded = RecordedNames(await RulesAsync(node.Prometheus));
        var samples = MetricNames.Samples(node.Metrics);
        var missing = queries
            .SelectMany(MetricNames.Selectors)
            .Select(s => MetricNames.Missing(s, samples, recorded))
            .OfType<string>()
            .Distinct()
            .ToList();
        Assert.True(missing.Count == 0, string.Join("\n", missing));

        // Each panel's query parses and runs in Prometheus, with Grafana's variables as a person picks them.
        foreach (var query in queries.Where(q => !q.StartsWith("label_values(", StringComparison.Ordinal)))
        {
            var run = await node.Prometheus.QueryAsync(query
                .Replace("$__rate_interval", "1m", StringComparison.Ordinal)
                .Replace("$job", "bidengine", StringComparison.Ordinal)
                .Replace("$instance", ".*", StringComparison.Ordinal));
            Assert.True(run.Ok, $"{query}\n{run.Body}");
        }
    }

    private static async Task<List<JsonElement>> RulesAsync(PrometheusServer prometheus)
    {
        var data = await prometheus.GetAsync("/api/v1/rules");
        var rules = data.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToList();
        Assert.NotEmpty(rules);
        return rules;
    }

    private static HashSet<string> RecordedNames(List<JsonElement> rules) =>
        rules.Where(r => r.GetProperty("type").GetString() == "recording").Select(r => r.GetProperty("name").GetString()!).ToHashSet(StringComparer.Ordinal);

    /// <summary>The rules once each has been evaluated at least once (health leaves "unknown"); 15 s at most.</summary>
    private static async Task<List<JsonElement>> WhenEveryRuleEvaluatedAsync(PrometheusServer prometheus)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        var rules = await RulesAsync(prometheus);
        while (rules.Any(r => r.GetProperty("health").GetString() == "unknown") && DateTime.UtcNow < until)
        {
            await Task.Delay(250);
            rules = await RulesAsync(prometheus);
        }

        return rules;
    }
}
