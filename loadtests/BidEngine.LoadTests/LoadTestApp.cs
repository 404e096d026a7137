using System.Diagnostics;
using System.Globalization;
using BidEngine.LoadTests.Cli;
using BidEngine.LoadTests.Corpus;
using BidEngine.LoadTests.Reports;
using BidEngine.LoadTests.Scenarios;
using BidEngine.LoadTests.Targets;
using BidEngine.LoadTests.Thresholds;

namespace BidEngine.LoadTests;

/// <summary>One invocation: build the pool, bring up the target, run the scenario, write the reports.</summary>
public static class LoadTestApp
{
    public static async Task<ScenarioOutcome> RunAsync(LoadTestOptions o, TextWriter log, CancellationToken cancellationToken)
    {
        var root = RepoPaths.FindRoot();
        var thresholdsPath = o.Thresholds ?? RepoPaths.DefaultThresholds(root);
        var thresholds = File.Exists(thresholdsPath)
            ? ThresholdsFile.Load(thresholdsPath)
            : throw new FileNotFoundException($"Thresholds file not found: {thresholdsPath} (pass --thresholds FILE).");

        // mixed-tmax reads late answers per tmax: only the generator spreads tmax over 50..1000 and absent.
        var mix = o.Scenario == "mixed-tmax" ? "generated" : o.Mix;
        var pool = RequestPool.Build(mix, o.Corpus ?? RepoPaths.CorpusRequests(root), o.Generated, new RequestGeneratorOptions
        {
            Seed = o.Seed,
            GzipRatio = o.GzipRatio,
        });
        log.WriteLine($"pool: {pool.Count} requests ({mix}, seed {o.Seed}, {pool.Requests.Count(r => r.Gzip)} gzip); thresholds {thresholdsPath}");

        var runner = new ScenarioRunner(o, thresholds, pool, log);
        ScenarioOutcome? floorOutcome = null;
        if (o.CompareFloor)
        {
            log.WriteLine("floor first (--compare-floor):");
            await using var floor = await StartTargetAsync("floor", o, root, log, cancellationToken);
            floorOutcome = await runner.RunAsync(floor.Uri, floor.Process, "floor", cancellationToken);
        }

        ScenarioOutcome outcome;
        await using (var target = await StartTargetAsync(o.Target, o, root, log, cancellationToken))
        {
            log.WriteLine($"target {target.Name} ({target.Uri}):");
            outcome = await runner.RunAsync(target.Uri, target.Process, target.Name, cancellationToken);
        }

        if (floorOutcome is not null)
        {
            AddFloor(outcome, floorOutcome);
        }

        var folder = o.Out ?? Path.Combine(root ?? ".", "loadtests", "reports",
            $"{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{o.Scenario}");
        ReportWriter.Write(folder, outcome, plot: !o.NoPlot);
        ConsoleReport.Write(log, outcome);
        log.WriteLine($"reports: {Path.GetFullPath(folder)}");
        return outcome;
    }

    /// <summary>Puts the floor's runs beside the target's and works out target ÷ floor for each pair.</summary>
    private static void AddFloor(ScenarioOutcome outcome, ScenarioOutcome floor)
    {
        // Paired by label: a capacity step run again on one side only must not shift the pairs.
        foreach (var t in outcome.Runs.Select(r => r.Summary))
        {
            var f = floor.Runs.Select(r => r.Summary).FirstOrDefault(r => r.Label == t.Label);
            if (f is null)
            {
                continue;
            }

            static double Ratio(double a, double b) => b == 0 ? double.NaN : Math.Round(a / b, 2);
            outcome.FloorRatios.Add(new FloorRatio(t.Label, Ratio(t.P50Ms, f.P50Ms), Ratio(t.P99Ms, f.P99Ms), Ratio(t.P999Ms, f.P999Ms),
                Ratio(t.ThroughputRps, f.ThroughputRps), Ratio(t.GeneratorCpuMicrosPerRequest, f.GeneratorCpuMicrosPerRequest)));
        }

        outcome.Runs.InsertRange(0, floor.Runs.Select(r => r with { Summary = r.Summary with { Label = "floor:" + r.Summary.Label } }));
    }

    private static async Task<RunningTarget> StartTargetAsync(string target, LoadTestOptions o, string? root, TextWriter log, CancellationToken ct)
    {
        switch (target)
        {
            case "floor":
                {
                    // The floor in a process of its own, as the bidder runs: the same dll, serve-floor mode.
                    var self = typeof(LoadTestApp).Assembly.Location;
                    var child = await ChildServer.StartAsync(self, ["serve-floor"], o.ReadyTimeout, ct);
                    return new RunningTarget("floor", child.Address, child.Process, child.DisposeAsync);
                }

            case "floor-inproc":
                {
                    var floor = await FloorServer.StartAsync(0, ct);
                    return new RunningTarget("floor-inproc", floor.Address, null, floor.DisposeAsync);
                }

            case "self":
                {
                    if (root is null)
                    {
                        throw new InvalidOperationException("--target self: repository root (BidEngine.sln) not found above the current folder.");
                    }

                    var dll = await BidderBuild.EnsureBuiltAsync(root, log, ct);
                    // The path header tells model, heuristic and shed answers apart, which goodput needs;
                    // a --server-arg given later overrides it.
                    // Its management listener on a free port of its own (the default may be taken).
                    var child = await ChildServer.StartAsync(
                        dll, ["--BidEngine:Http:DebugPathHeader=true", $"--BidEngine:Management:Url=http://127.0.0.1:{ChildServer.FreeLoopbackPort()}", .. o.ServerArgs], o.ReadyTimeout, ct);
                    log.WriteLine($"started bidder pid {child.Process.Id} at {child.Address}");
                    return new RunningTarget("bidder", child.Address, child.Process, child.DisposeAsync);
                }

            default:
                return new RunningTarget(target, TargetUri.ParseLoopback(target), null, () => ValueTask.CompletedTask);
        }
    }

    private sealed record RunningTarget(string Name, Uri Uri, Process? Process, Func<ValueTask> Stop) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Stop();
    }
}
