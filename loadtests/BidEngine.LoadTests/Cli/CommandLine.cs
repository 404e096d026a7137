using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using BidEngine.LoadTests.Money;
using BidEngine.LoadTests.Targets;

namespace BidEngine.LoadTests.Cli;

/// <summary>
/// The load tool's command line (System.CommandLine): the root command runs a scenario, <c>serve-floor</c>
/// serves the floor alone. Help is written from these definitions, defaults included, so it cannot drift
/// from what is parsed. A bad option or value exits with <see cref="UsageExitCode"/> and a message naming it.
/// </summary>
public sealed class CommandLine
{
    public const int UsageExitCode = 2;

    public const int DefaultFloorPort = 5099;

    private static readonly ParserConfiguration Parser = new()
    {
        // Values are taken as typed: "@file" is a file name, not a response file to expand.
        ResponseFileTokenReplacer = null,
    };

    private readonly Option<string> _target = new("--target")
    {
        Description = "http://127.0.0.1:PORT (loopback only), floor (floor in its own process), floor-inproc (floor inside this process), self (build if needed and start src/BidEngine.Server, stop it at the end)",
        HelpName = "T",
        DefaultValueFactory = _ => new LoadTestOptions().Target,
    };

    private readonly Option<bool> _floor = new("--floor") { Description = "same as --target floor", Arity = ArgumentArity.Zero };

    private readonly Option<string> _scenario = new("--scenario")
    {
        Description = "what to run (see loadtests/README.md)",
        HelpName = string.Join('|', ScenarioDefaults.Names),
        DefaultValueFactory = _ => new LoadTestOptions().Scenario,
        CustomParser = r => OneOf(r, ScenarioDefaults.Names),
    };

    private readonly Option<double?> _rate = new("--rate")
    {
        Description = "open model: requests per second [" + PerScenario(ScenarioDefaults.RateNames, s => ScenarioDefaults.Rate(s).ToString(CultureInfo.InvariantCulture)) + "; capacity: the first step]",
        HelpName = "R",
        CustomParser = r => Positive(r),
    };

    private readonly Option<TimeSpan?> _duration = new("--duration")
    {
        Description = "recorded time: 500ms, 10s, 2m [" + PerScenario(ScenarioDefaults.Names, s => Seconds(ScenarioDefaults.Duration(s))) + "]",
        HelpName = "D",
        CustomParser = r => Duration(r),
    };

    private readonly Option<TimeSpan?> _warmup = new("--warmup")
    {
        Description = "sent at the rate first, not recorded [" + PerScenario(ScenarioDefaults.WarmupNames, s => Seconds(ScenarioDefaults.Warmup(s))) + "]",
        HelpName = "D",
        CustomParser = r => Duration(r, allowZero: true),
    };

    private readonly Option<TimeSpan?> _rampUp = new("--ramp-up")
    {
        Description = "linear ramp 0 -> rate before the warm-up, not recorded [none]",
        HelpName = "D",
        CustomParser = r => Duration(r, allowZero: true),
    };

    private readonly Option<int?> _connections = new("--connections")
    {
        Description = "keep-alive HTTP/1.1 connections [" + PerScenario(ScenarioDefaults.Names, s => ScenarioDefaults.Connections(s).ToString(CultureInfo.InvariantCulture)) + "]",
        HelpName = "C",
        CustomParser = r => (int?)Positive(r, max: 4096),
    };

    private readonly Option<TimeSpan> _timeout = new("--timeout")
    {
        Description = "no answer this long after the intended send = timeout",
        HelpName = "D",
        DefaultValueFactory = _ => new LoadTestOptions().Timeout,
        CustomParser = r => Duration(r) ?? default,
    };

    private readonly Option<int> _defaultTmax = new("--default-tmax")
    {
        Description = "deadline in ms for requests without tmax (late answers)",
        HelpName = "MS",
        DefaultValueFactory = _ => new LoadTestOptions().DefaultTmaxMs,
        CustomParser = r => (int)(Positive(r, max: int.MaxValue) ?? 0),
    };

    private readonly Option<string> _mix = new("--mix")
    {
        Description = "which requests: the corpus files, generated ones, or both",
        HelpName = "corpus|generated|both",
        DefaultValueFactory = _ => new LoadTestOptions().Mix,
        CustomParser = r => OneOf(r, "corpus", "generated", "both"),
    };

    private readonly Option<int> _generated = new("--generated")
    {
        Description = "generated requests in the pool",
        HelpName = "N",
        DefaultValueFactory = _ => new LoadTestOptions().Generated,
        CustomParser = r => (int)(Positive(r, max: 1_000_000) ?? 0),
    };

    private readonly Option<int> _seed = new("--seed")
    {
        Description = "generator and shuffle seed",
        HelpName = "N",
        DefaultValueFactory = _ => new LoadTestOptions().Seed,
    };

    private readonly Option<double> _gzipRatio = new("--gzip-ratio")
    {
        Description = "share of generated bodies sent gzip-compressed",
        HelpName = "F",
        DefaultValueFactory = _ => new LoadTestOptions().GzipRatio,
        CustomParser = r => Ratio(r),
    };

    private readonly Option<string> _corpus = new("--corpus")
    {
        Description = "folder of request files, sent byte for byte",
        HelpName = "DIR",
        DefaultValueFactory = _ => RepoPaths.CorpusRequests(RepoPaths.FindRoot()) ?? "<repo>/corpus/requests",
    };

    private readonly Option<string> _thresholds = new("--thresholds")
    {
        Description = "limits per scenario",
        HelpName = "FILE",
        DefaultValueFactory = _ => RepoPaths.DefaultThresholds(RepoPaths.FindRoot()),
    };

    private readonly Option<string?> _out = new("--out")
    {
        Description = "report folder [<repo>/loadtests/reports/<time>-<scenario>]",
        HelpName = "DIR",
    };

    private readonly Option<string> _client = new("--client")
    {
        Description = "the raw HTTP/1.1 client, or HttpClient as a cross-check",
        HelpName = "raw|httpclient",
        DefaultValueFactory = _ => new LoadTestOptions().Client,
        CustomParser = r => OneOf(r, "raw", "httpclient"),
    };

    private readonly Option<string> _path = new("--path")
    {
        Description = "bid endpoint path",
        HelpName = "P",
        DefaultValueFactory = _ => new LoadTestOptions().Path,
    };

    private readonly Option<double?> _startRate = new("--start-rate")
    {
        Description = string.Create(CultureInfo.InvariantCulture, $"capacity: first step's rate [--rate, else {ScenarioDefaults.CapacityStartRate}]"),
        HelpName = "R",
        CustomParser = r => Positive(r),
    };

    private readonly Option<double?> _stepRate = new("--step-rate")
    {
        Description = "capacity: rate added at each step [the start rate]",
        HelpName = "R",
        CustomParser = r => Positive(r),
    };

    private readonly Option<double?> _maxRate = new("--max-rate")
    {
        Description = string.Create(CultureInfo.InvariantCulture, $"capacity: last step's rate [{ScenarioDefaults.CapacityMaxRate}]"),
        HelpName = "R",
        CustomParser = r => Positive(r),
    };

    private readonly Option<TimeSpan?> _stepDuration = new("--step-duration")
    {
        Description = "capacity: recorded time per step [--duration, else " + Seconds(ScenarioDefaults.Duration("capacity")) + "]",
        HelpName = "D",
        CustomParser = r => Duration(r),
    };

    private readonly Option<double?> _capacity = new("--capacity")
    {
        Description = "overload: the capacity to multiply by 2 and 4 [measured first with the capacity steps]",
        HelpName = "R",
        CustomParser = r => Positive(r),
    };

    private readonly Option<bool> _compareFloor = new("--compare-floor")
    {
        Description = "run against the floor first, then the target; print target/floor",
        Arity = ArgumentArity.Zero,
    };

    private readonly Option<string[]> _serverArgs = new("--server-arg")
    {
        Description = "extra argument for the bidder with --target self (repeatable)",
        HelpName = "A",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<TimeSpan> _readyTimeout = new("--ready-timeout")
    {
        Description = "longest wait for a started bidder's or floor's /readyz",
        HelpName = "D",
        DefaultValueFactory = _ => new LoadTestOptions().ReadyTimeout,
        CustomParser = r => Duration(r) ?? default,
    };

    private readonly Option<bool> _noPlot = new("--no-plot") { Description = "skip latency.png", Arity = ArgumentArity.Zero };

    private readonly Option<int?> _floorPort = new("--port")
    {
        Description = string.Create(CultureInfo.InvariantCulture, $"port on 127.0.0.1 [{DefaultFloorPort}]"),
        HelpName = "P",
        CustomParser = r => (int?)Positive(r, max: 65535),
    };

    private readonly Option<Uri?> _floorUrls = new("--urls")
    {
        Description = "http://127.0.0.1:PORT, as the bidder takes it (the port is what counts)",
        HelpName = "URL",
        CustomParser = r => Uri.TryCreate(r.Tokens[0].Value, UriKind.Absolute, out var uri) ? uri : Error<Uri>(r, "is not an absolute URL"),
    };

    private readonly Option<TimeSpan> _floorDuration = new("--duration")
    {
        Description = "stop after this long",
        HelpName = "D",
        DefaultValueFactory = _ => TimeSpan.FromMinutes(10),
        CustomParser = r => Duration(r) ?? default,
    };

    /// <param name="run">Runs a scenario with the parsed options; returns the exit code.</param>
    /// <param name="serveFloor">Serves the floor alone on a port for a while; returns the exit code.</param>
    /// <param name="money">Runs the <c>money</c> subcommand against a fleet; null: no such subcommand.</param>
    public CommandLine(Func<LoadTestOptions, CancellationToken, Task<int>> run, Func<int, TimeSpan, CancellationToken, Task<int>> serveFloor,
        Func<MoneyOptions, CancellationToken, Task<int>>? money = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(serveFloor);
        _target.Validators.Add(CheckTarget);

        Root = new RootCommand("The bidder's load generator: open- and closed-model scenarios against the bidder or the floor, on loopback only. "
            + "Exit codes: 0 all thresholds met, 1 a threshold missed, 2 bad usage, 3 the run could not start.")
        {
            _scenario, _target, _floor, _rate, _duration, _warmup, _rampUp, _connections, _timeout, _defaultTmax, _mix, _generated,
            _seed, _gzipRatio, _corpus, _thresholds, _out, _client, _path, _startRate, _stepRate, _maxRate, _stepDuration,
            _capacity, _compareFloor, _serverArgs, _readyTimeout, _noPlot,
        };
        Root.SetAction((result, ct) => run(Read(result), ct));

        ServeFloor = new Command("serve-floor", "Serves the floor alone (for wrk or a second terminal): reads each body and answers 204.")
        {
            _floorPort, _floorUrls, _floorDuration,
        };
        ServeFloor.SetAction((result, ct) => serveFloor(ReadFloorPort(result), result.GetValue(_floorDuration), ct));
        Root.Subcommands.Add(ServeFloor);
        if (money is not null)
        {
            Money = new MoneyCommandLine(money);
            Root.Subcommands.Add(Money.Command);
        }
    }

    public MoneyCommandLine? Money { get; }

    public RootCommand Root { get; }

    public Command ServeFloor { get; }

    public ParseResult Parse(IReadOnlyList<string> args) => Root.Parse(args, Parser);

    /// <summary>Parses and runs: help and version print and exit 0; a bad command line prints why and exits <see cref="UsageExitCode"/>.</summary>
    public async Task<int> InvokeAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var result = Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var e in result.Errors)
            {
                await error.WriteLineAsync(e.Message);
            }

            // The failing command's help, as --help writes it, after the message.
            await error.WriteLineAsync();
            string[] help = result.CommandResult.Command == ServeFloor ? [ServeFloor.Name, "--help"]
                : result.CommandResult.Command == Money?.Command ? [Money.Command.Name, "--help"]
                : ["--help"];
            Parse(help).Invoke(new InvocationConfiguration { Output = error });
            return UsageExitCode;
        }

        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // The tool handles Ctrl+C itself (it must stop a bidder it started) and reports its own failures.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        return await result.InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>The scenario options of a parse without errors.</summary>
    public LoadTestOptions Read(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new LoadTestOptions
        {
            Target = result.GetValue(_floor) ? "floor" : result.GetRequiredValue(_target),
            Scenario = result.GetRequiredValue(_scenario),
            Rate = result.GetValue(_rate),
            Duration = result.GetValue(_duration),
            Warmup = result.GetValue(_warmup),
            RampUp = result.GetValue(_rampUp),
            Connections = result.GetValue(_connections),
            Timeout = result.GetValue(_timeout),
            DefaultTmaxMs = result.GetValue(_defaultTmax),
            Seed = result.GetValue(_seed),
            Generated = result.GetValue(_generated),
            Mix = result.GetRequiredValue(_mix),
            GzipRatio = result.GetValue(_gzipRatio),
            Corpus = result.GetValue(_corpus),
            Thresholds = result.GetValue(_thresholds),
            Out = result.GetValue(_out),
            Client = result.GetRequiredValue(_client),
            Path = result.GetRequiredValue(_path),
            StartRate = result.GetValue(_startRate),
            StepRate = result.GetValue(_stepRate),
            MaxRate = result.GetValue(_maxRate),
            StepDuration = result.GetValue(_stepDuration),
            Capacity = result.GetValue(_capacity),
            CompareFloor = result.GetValue(_compareFloor),
            NoPlot = result.GetValue(_noPlot),
            ServerArgs = [.. result.GetValue(_serverArgs) ?? []],
            ReadyTimeout = result.GetValue(_readyTimeout),
        };
    }

    /// <summary>serve-floor's port: --port, else the port of --urls (how the tool starts its own floor), else the default.</summary>
    public int ReadFloorPort(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.GetValue(_floorPort) ?? result.GetValue(_floorUrls)?.Port ?? DefaultFloorPort;
    }

    /// <summary>"250ms", "10s", "2m" or a bare number of seconds, up to 1 h.</summary>
    public static TimeSpan ParseDuration(string option, string value, bool allowZero = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        var v = value.Trim().ToLowerInvariant();
        (string number, double scale) = v.EndsWith("ms", StringComparison.Ordinal) ? (v[..^2], 0.001)
            : v.EndsWith('s') ? (v[..^1], 1)
            : v.EndsWith('m') ? (v[..^1], 60)
            : (v, 1);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0 || (n == 0 && !allowZero) || n * scale > 3600)
        {
            throw new ArgumentException($"{option}: '{value}' is not a duration between 0 and 1 h (e.g. 500ms, 10s, 2m).");
        }

        return TimeSpan.FromSeconds(n * scale);
    }

    private static void CheckTarget(OptionResult result)
    {
        var value = result.GetValueOrDefault<string>();
        if (value is "floor" or "floor-inproc" or "self")
        {
            return;
        }

        try
        {
            TargetUri.ParseLoopback(value);
        }
        catch (ArgumentException e)
        {
            result.AddError($"--target: {e.Message}");
        }
    }

    private static TimeSpan? Duration(ArgumentResult result, bool allowZero = false)
    {
        try
        {
            return ParseDuration(OptionName(result), result.Tokens[0].Value, allowZero);
        }
        catch (ArgumentException e)
        {
            result.AddError(e.Message);
            return null;
        }
    }

    private static double? Positive(ArgumentResult result, double max = 10_000_000)
    {
        var text = result.Tokens[0].Value;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0 && n <= max
            ? n
            : Error<double?>(result, string.Create(CultureInfo.InvariantCulture, $"must be a number > 0 and <= {max}"));
    }

    private static double Ratio(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n is >= 0 and <= 1
            ? n
            : Error<double>(result, "must be between 0 and 1");
    }

    private static string OneOf(ArgumentResult result, params string[] allowed)
    {
        var text = result.Tokens[0].Value;
        return allowed.Contains(text, StringComparer.Ordinal) ? text : Error<string>(result, "is not one of " + string.Join(", ", allowed))!;
    }

    /// <summary>Records "--name: 'value' says what is wrong" against the option and returns a placeholder.</summary>
    private static T? Error<T>(ArgumentResult result, string problem)
    {
        result.AddError($"{OptionName(result)}: '{result.Tokens[0].Value}' {problem}.");
        return default;
    }

    private static string OptionName(ArgumentResult result) => (result.Parent as OptionResult)?.Option.Name ?? result.Argument.Name;

    private static string PerScenario(IEnumerable<string> scenarios, Func<string, string> value) =>
        string.Join(", ", scenarios.Select(s => $"{s} {value(s)}"));

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
