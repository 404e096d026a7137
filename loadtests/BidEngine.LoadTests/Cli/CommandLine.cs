using System.Globalization;

namespace BidEngine.LoadTests.Cli;

/// <summary>Parses `--name value` options; a bad value stops with a message naming the option.</summary>
public static class CommandLine
{
    public const string Usage = """
        usage: BidEngine.LoadTests --scenario smoke|steady|capacity|overload|mixed-tmax|closed [options]
               BidEngine.LoadTests serve-floor [--port P] [--duration D]

          --target T          http://127.0.0.1:PORT (loopback only), floor (floor in its own process),
                              floor-inproc (floor inside this process), self (build if needed and start
                              src/BidEngine.Server, stop it at the end)              [floor]
          --floor             same as --target floor
          --rate R            open model: requests per second                       [per scenario]
          --duration D        recorded time: 500ms, 10s, 2m                         [per scenario]
          --warmup D          sent at the rate first, not recorded                  [per scenario]
          --ramp-up D         linear ramp 0 -> rate before the warm-up, not recorded [0]
          --connections C     keep-alive HTTP/1.1 connections                       [per scenario]
          --timeout D         no answer this long after the intended send = timeout [2s]
          --default-tmax MS   deadline for requests without tmax (late answers)     [100]
          --mix M             corpus | generated | both                             [both]
          --generated N       generated requests in the pool                        [2000]
          --seed N            generator and shuffle seed                            [42]
          --gzip-ratio F      share of generated bodies sent gzip-compressed        [0.1]
          --corpus DIR        request files                   [<repo>/../shared/openrtb/requests]
          --thresholds FILE   limits per scenario             [<repo>/loadtests/loadtest.thresholds.json]
          --out DIR           report folder              [<repo>/loadtests/reports/<time>-<scenario>]
          --client raw|httpclient                                                   [raw]
          --path P            bid endpoint path                                     [/openrtb2/bid]
          --start-rate R --step-rate R --max-rate R --step-duration D   capacity steps [500/500/20000/5s]
          --capacity R        overload: the capacity to multiply (else measured first)
          --compare-floor     run against the floor first, then the target; print target/floor
          --server-arg A      extra argument for the bidder with --target self (repeatable)
          --no-plot           skip latency.png
        exit codes: 0 all thresholds met, 1 a threshold missed, 2 bad usage, 3 the run could not start
        """;

    public static LoadTestOptions Parse(IReadOnlyList<string> args)
    {
        var o = new LoadTestOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count)
                {
                    throw new ArgumentException($"{name} needs a value.");
                }

                return args[++i];
            }

            o = name switch
            {
                "--target" => o with { Target = Value() },
                "--floor" => o with { Target = "floor" },
                "--scenario" => o with { Scenario = Scenario(Value()) },
                "--rate" => o with { Rate = Positive(name, Value()) },
                "--duration" => o with { Duration = ParseDuration(name, Value()) },
                "--warmup" => o with { Warmup = ParseDuration(name, Value(), allowZero: true) },
                "--ramp-up" => o with { RampUp = ParseDuration(name, Value(), allowZero: true) },
                "--connections" => o with { Connections = (int)Positive(name, Value(), max: 4096) },
                "--timeout" => o with { Timeout = ParseDuration(name, Value()) },
                "--default-tmax" => o with { DefaultTmaxMs = (int)Positive(name, Value()) },
                "--seed" => o with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--generated" => o with { Generated = (int)Positive(name, Value(), max: 1_000_000) },
                "--mix" => o with { Mix = OneOf(name, Value(), "corpus", "generated", "both") },
                "--gzip-ratio" => o with { GzipRatio = Ratio(name, Value()) },
                "--corpus" => o with { Corpus = Value() },
                "--thresholds" => o with { Thresholds = Value() },
                "--out" => o with { Out = Value() },
                "--client" => o with { Client = OneOf(name, Value(), "raw", "httpclient") },
                "--path" => o with { Path = Value() },
                "--start-rate" => o with { StartRate = Positive(name, Value()) },
                "--step-rate" => o with { StepRate = Positive(name, Value()) },
                "--max-rate" => o with { MaxRate = Positive(name, Value()) },
                "--step-duration" => o with { StepDuration = ParseDuration(name, Value()) },
                "--capacity" => o with { Capacity = Positive(name, Value()) },
                "--compare-floor" => o with { CompareFloor = true },
                "--no-plot" => o with { NoPlot = true },
                "--server-arg" => o with { ServerArgs = [.. o.ServerArgs, Value()] },
                "--ready-timeout" => o with { ReadyTimeout = ParseDuration(name, Value()) },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }

        return o;
    }

    /// <summary>"250ms", "10s", "2m" or a bare number of seconds.</summary>
    public static TimeSpan ParseDuration(string option, string value, bool allowZero = false)
    {
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

    private static double Positive(string option, string value, double max = 10_000_000)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n <= 0 || n > max)
        {
            throw new ArgumentException($"{option}: '{value}' must be a number > 0 and <= {max}.");
        }

        return n;
    }

    private static double Ratio(string option, string value)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n is < 0 or > 1)
        {
            throw new ArgumentException($"{option}: '{value}' must be between 0 and 1.");
        }

        return n;
    }

    private static string OneOf(string option, string value, params string[] allowed) =>
        allowed.Contains(value) ? value : throw new ArgumentException($"{option}: '{value}' is not one of {string.Join(", ", allowed)}.");

    private static string Scenario(string value) => OneOf("--scenario", value, ScenarioDefaults.Names);
}
