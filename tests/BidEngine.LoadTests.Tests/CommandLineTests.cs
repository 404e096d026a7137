using BidEngine.LoadTests.Cli;
using BidEngine.LoadTests.Targets;
using Xunit;

namespace BidEngine.LoadTests.Tests;

public sealed class CommandLineTests
{
    private LoadTestOptions? _ran;
    private (int Port, TimeSpan Limit)? _served;

    private CommandLine Cli() => new(
        (o, _) =>
        {
            _ran = o;
            return Task.FromResult(0);
        },
        (port, limit, _) =>
        {
            _served = (port, limit);
            return Task.FromResult(0);
        });

    /// <summary>Runs the whole command line as Program does, with the run captured instead of started.</summary>
    private async Task<(int Exit, string Output, string Error)> InvokeAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await Cli().InvokeAsync(args, output, error, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("http://10.0.0.5:5000")]
    [InlineData("http://example.com")]
    [InlineData("https://127.0.0.1:5001")]
    [InlineData("ftp://localhost")]
    public void RefusesTargetsOffThisMachine(string target)
    {
        Assert.Throws<ArgumentException>(() => TargetUri.ParseLoopback(target));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://localhost:5000")]
    [InlineData("http://[::1]:5000")]
    public void AcceptsLoopbackTargets(string target)
    {
        Assert.True(TargetUri.EndPoint(TargetUri.ParseLoopback(target)).Address.Equals(System.Net.IPAddress.Loopback)
            || TargetUri.EndPoint(TargetUri.ParseLoopback(target)).Address.Equals(System.Net.IPAddress.IPv6Loopback));
    }

    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("10s", 10)]
    [InlineData("2m", 120)]
    [InlineData("3", 3)]
    public void ReadsDurations(string text, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), CommandLine.ParseDuration("--duration", text));
    }

    [Fact]
    public async Task RunsAScenarioLineWithTheValuesGiven()
    {
        var (exit, _, error) = await InvokeAsync("--target", "http://127.0.0.1:5000", "--scenario", "capacity", "--start-rate", "200", "--step-rate", "100",
            "--max-rate", "900", "--step-duration", "4s", "--connections", "8", "--compare-floor", "--rate", "150", "--duration", "500ms", "--warmup", "0",
            "--ramp-up", "2s", "--timeout", "3s", "--default-tmax", "250", "--mix", "corpus", "--generated", "10", "--seed", "7", "--gzip-ratio", "0.5",
            "--corpus", "/tmp/c", "--thresholds", "/tmp/t.json", "--out", "/tmp/o", "--client", "httpclient", "--path", "/bid", "--capacity", "1000",
            "--server-arg", "--BidEngine:UseModel=false", "--server-arg", "--BidEngine:Http:MaxImps=4", "--ready-timeout", "90s", "--no-plot");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        var o = Assert.IsType<LoadTestOptions>(_ran);
        Assert.Equal(("http://127.0.0.1:5000", "capacity", 200.0, 100.0, 900.0, TimeSpan.FromSeconds(4), 8, true), (o.Target, o.Scenario, o.StartRate, o.StepRate, o.MaxRate, o.StepDuration, o.Connections, o.CompareFloor));
        Assert.Equal((150.0, TimeSpan.FromMilliseconds(500), TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), 250), (o.Rate, o.Duration, o.Warmup, o.RampUp, o.Timeout, o.DefaultTmaxMs));
        Assert.Equal(("corpus", 10, 7, 0.5, "/tmp/c", "/tmp/t.json", "/tmp/o"), (o.Mix, o.Generated, o.Seed, o.GzipRatio, o.Corpus, o.Thresholds, o.Out));
        Assert.Equal(("httpclient", "/bid", 1000.0, TimeSpan.FromSeconds(90), true), (o.Client, o.Path, o.Capacity, o.ReadyTimeout, o.NoPlot));
        Assert.Equal(["--BidEngine:UseModel=false", "--BidEngine:Http:MaxImps=4"], o.ServerArgs);
    }

    [Fact]
    public async Task LeavesScenarioDefaultsUnsetAndFillsTheRest()
    {
        var (exit, _, _) = await InvokeAsync();

        Assert.Equal(0, exit);
        var o = Assert.IsType<LoadTestOptions>(_ran);
        var root = RepoPaths.FindRoot();
        var defaults = new LoadTestOptions();
        Assert.Equal((defaults.Target, defaults.Scenario, defaults.Timeout, defaults.DefaultTmaxMs, defaults.Mix, defaults.Generated, defaults.Seed, defaults.GzipRatio),
            (o.Target, o.Scenario, o.Timeout, o.DefaultTmaxMs, o.Mix, o.Generated, o.Seed, o.GzipRatio));
        Assert.Equal((defaults.Client, defaults.Path, defaults.ReadyTimeout, false, false), (o.Client, o.Path, o.ReadyTimeout, o.CompareFloor, o.NoPlot));
        Assert.Equal((null, null, null, null, null, null), (o.Rate, o.Duration, o.Warmup, o.RampUp, o.Connections, o.Capacity));
        Assert.Equal((null, null, null, null, null), (o.StartRate, o.StepRate, o.MaxRate, o.StepDuration, o.Out));
        Assert.Equal(Path.Combine(root!, "corpus", "requests"), o.Corpus);
        Assert.Equal(Path.Combine(root!, "loadtests", "loadtest.thresholds.json"), o.Thresholds);
        Assert.Empty(o.ServerArgs);
    }

    [Fact]
    public async Task FloorFlagTargetsTheFloor()
    {
        await InvokeAsync("--target", "self", "--floor");

        Assert.Equal("floor", _ran?.Target);
    }

    [Theory]
    [InlineData(new[] { "serve-floor", "--port", "6001", "--duration", "30s" }, 6001, 30)]
    [InlineData(new[] { "serve-floor", "--urls", "http://127.0.0.1:6002" }, 6002, 600)]
    [InlineData(new[] { "serve-floor" }, CommandLine.DefaultFloorPort, 600)]
    public async Task ServesTheFloorOnThePortGiven(string[] args, int port, double seconds)
    {
        var (exit, _, _) = await InvokeAsync(args);

        Assert.Equal(0, exit);
        Assert.Null(_ran);
        Assert.Equal((port, TimeSpan.FromSeconds(seconds)), _served);
    }

    [Theory]
    [InlineData("--scenario", "soak")]
    [InlineData("--rate", "-1")]
    [InlineData("--rate", "fast")]
    [InlineData("--duration", "2h")]
    [InlineData("--connections", "5000")]
    [InlineData("--gzip-ratio", "1.5")]
    [InlineData("--mix", "all")]
    [InlineData("--client", "curl")]
    [InlineData("--seed", "x")]
    [InlineData("--target", "http://10.0.0.5:5000")]
    [InlineData("--bogus", "1")]
    public async Task RefusesABadOptionWithExitCode2NamingIt(string option, string value)
    {
        var (exit, output, error) = await InvokeAsync(option, value);

        Assert.Equal(CommandLine.UsageExitCode, exit);
        Assert.Null(_ran);
        Assert.Equal("", output);
        Assert.Contains(option, error.Split('\n')[0], StringComparison.Ordinal); // the first line names the option
        Assert.Contains("Usage:", error, StringComparison.Ordinal); // then the help
    }

    [Fact]
    public async Task RefusesAnOptionWithoutItsValue()
    {
        var (exit, _, error) = await InvokeAsync("--rate");

        Assert.Equal(CommandLine.UsageExitCode, exit);
        Assert.Null(_ran);
        Assert.Contains("--rate", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpListsEveryOptionWithItsDefaultAndRunsNothing()
    {
        var (exit, output, _) = await InvokeAsync("--help");

        Assert.Equal(0, exit);
        Assert.Null(_ran);
        foreach (var option in Cli().Root.Options.Where(o => !o.Hidden && o.Name != "--version"))
        {
            Assert.Contains(option.Name, output, StringComparison.Ordinal);
        }

        Assert.Contains("[default: both]", output, StringComparison.Ordinal);
        Assert.Contains("smoke 50, steady 500, mixed-tmax 300", output, StringComparison.Ordinal);
        Assert.Contains("serve-floor", output, StringComparison.Ordinal);
    }

    /// <summary>Every load-tool command that README.md, loadtests/README.md and loadtests/HISTORY.md show must parse as written there.</summary>
    [Fact]
    public void TheCommandsTheDocsShowParse()
    {
        var root = RepoPaths.FindRoot()!;
        var commands = new List<string>();
        foreach (var doc in new[] { Path.Combine(root, "README.md"), Path.Combine(root, "loadtests", "HISTORY.md") })
        {
            foreach (var line in Lines(doc).Where(l => l.StartsWith("$T ", StringComparison.Ordinal)))
            {
                commands.Add(line[3..]);
            }
        }

        foreach (var line in Lines(Path.Combine(root, "loadtests", "README.md")))
        {
            const string run = "dotnet run -c Release --project loadtests/BidEngine.LoadTests -- ";
            if (line.StartsWith(run, StringComparison.Ordinal))
            {
                commands.Add(line[run.Length..]);
            }
            else if (line.StartsWith("$G ", StringComparison.Ordinal))
            {
                commands.Add("--target http://127.0.0.1:5000 " + line[3..]); // G="taskset -c 0 dotnet $LT --target http://127.0.0.1:5000"
            }
            else if (line.Contains("dotnet $LT serve-floor", StringComparison.Ordinal))
            {
                commands.Add(line[(line.IndexOf("serve-floor", StringComparison.Ordinal))..]);
            }
        }

        Assert.True(commands.Count >= 15, $"found only {commands.Count} commands in the READMEs");
        Assert.All(commands, command =>
        {
            var result = Cli().Parse(command.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            Assert.True(result.Errors.Count == 0, command + ": " + string.Join("; ", result.Errors.Select(e => e.Message)));
        });
    }

    /// <summary>The file's lines with continuations joined, comments and a trailing '&amp;' removed.</summary>
    private static IEnumerable<string> Lines(string path)
    {
        var text = File.ReadAllText(path).Replace("\\\n", " ", StringComparison.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var hash = raw.IndexOf(" #", StringComparison.Ordinal);
            var line = (hash < 0 ? raw : raw[..hash]).TrimEnd();
            yield return line.EndsWith(" &", StringComparison.Ordinal) ? line[..^2] : line;
        }
    }
}
