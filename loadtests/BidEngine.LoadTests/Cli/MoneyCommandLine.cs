using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using BidEngine.LoadTests.Money;
using BidEngine.LoadTests.Targets;

namespace BidEngine.LoadTests.Cli;

/// <summary>The <c>money</c> subcommand's options (see loadtests/README.md and deploy/README.md).</summary>
public sealed class MoneyCommandLine
{
    private static readonly MoneyOptions Defaults = new() { Front = new Uri("http://127.0.0.1"), Nodes = [] };

    private readonly Option<Uri> _front = new("--front")
    {
        Description = "the fleet's front (bid requests), http://127.0.0.1:PORT",
        HelpName = "URL",
        Required = true,
        CustomParser = r => Loopback(r, r.Tokens[0].Value),
    };

    private readonly Option<Uri[]> _nodes = new("--node")
    {
        Description = "a node's own address (notices); repeat for each node",
        HelpName = "URL",
        Required = true,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
        CustomParser = r => [.. r.Tokens.Select(t => Loopback(r, t.Value))],
    };

    private readonly Option<Uri[]> _management = new("--management")
    {
        Description = "a node's management listener (/metrics), in the order of --node; repeat for each node",
        HelpName = "URL",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
        CustomParser = r => [.. r.Tokens.Select(t => Loopback(r, t.Value))],
    };

    private readonly Option<string?> _store = new("--store")
    {
        Description = "the store, 127.0.0.1:PORT: the campaign's spend is read from it at the end",
        HelpName = "HOST:PORT",
    };

    private readonly Option<string> _campaign = new("--campaign") { Description = "the budgeted campaign's id", HelpName = "ID", DefaultValueFactory = _ => Defaults.Campaign };

    private readonly Option<double> _budget = new("--budget")
    {
        Description = "its total budget in USD, as in the campaign file",
        HelpName = "USD",
        DefaultValueFactory = _ => Defaults.BudgetUsd,
        CustomParser = r => Number(r, 1e-6, 1e6),
    };

    private readonly Option<double> _rate = new("--rate") { Description = "bid requests per second", HelpName = "R", DefaultValueFactory = _ => Defaults.Rate, CustomParser = r => Number(r, 1, 20_000) };

    private readonly Option<TimeSpan> _duration = new("--duration")
    {
        Description = "how long to send bid requests",
        HelpName = "D",
        DefaultValueFactory = _ => Defaults.Duration,
        CustomParser = r => Duration(r),
    };

    private readonly Option<int> _connections = new("--connections") { Description = "most requests in flight", HelpName = "C", DefaultValueFactory = _ => Defaults.Connections, CustomParser = r => (int)Number(r, 1, 1024) };

    private readonly Option<double> _budgetedShare = new("--budgeted-share") { Description = "share of requests of the budgeted campaign's size (300x250)", HelpName = "F", DefaultValueFactory = _ => Defaults.BudgetedShare, CustomParser = r => Number(r, 0, 1) };

    private readonly Option<double> _billRatio = new("--bill-ratio") { Description = "share of bids billed (burl)", HelpName = "F", DefaultValueFactory = _ => Defaults.BillRatio, CustomParser = r => Number(r, 0, 1) };

    private readonly Option<double> _lossRatio = new("--loss-ratio") { Description = "share of bids sent a loss notice (lurl); the rest hear nothing", HelpName = "F", DefaultValueFactory = _ => Defaults.LossRatio, CustomParser = r => Number(r, 0, 1) };

    private readonly Option<double> _replayRatio = new("--replay-ratio") { Description = "share of bills sent again to another node", HelpName = "F", DefaultValueFactory = _ => Defaults.ReplayRatio, CustomParser = r => Number(r, 0, 1) };

    private readonly Option<TimeSpan> _settle = new("--settle")
    {
        Description = "wait after the last notice before reading the store",
        HelpName = "D",
        DefaultValueFactory = _ => Defaults.Settle,
        CustomParser = r => Duration(r),
    };

    private readonly Option<int> _seed = new("--seed") { Description = "traffic and fates", HelpName = "N", DefaultValueFactory = _ => Defaults.Seed };

    private readonly Option<string?> _out = new("--out") { Description = "write the report as JSON here", HelpName = "FILE" };

    public MoneyCommandLine(Func<MoneyOptions, CancellationToken, Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        Command = new Command("money", "Bids through a fleet's front at a steady rate, bills ~70% of the bids at random nodes, sends losses and replays, then reads the budgeted campaign's spend: overspend, stranded money, store round trips. Exit 0 goals met, 1 missed, 3 could not run.")
        {
            _front, _nodes, _management, _store, _campaign, _budget, _rate, _duration, _connections, _budgetedShare, _billRatio, _lossRatio, _replayRatio, _settle, _seed, _out,
        };
        Command.Validators.Add(r =>
        {
            // An option that failed its own parse has said so already (reading its value throws): nothing to add.
            double bills, losses;
            try
            {
                bills = r.GetValue(_billRatio);
                losses = r.GetValue(_lossRatio);
            }
            catch (InvalidOperationException)
            {
                return;
            }

            if (bills + losses > 1)
            {
                r.AddError("--bill-ratio + --loss-ratio must be at most 1.");
            }

            if (r.GetValue(_store) is { } store && !TargetUri.IsLoopback(store.Split(':')[0]))
            {
                r.AddError($"--store: '{store}' is not on loopback.");
            }
        });
        Command.SetAction((result, ct) => run(Read(result), ct));
    }

    public Command Command { get; }

    public MoneyOptions Read(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new MoneyOptions
        {
            Front = result.GetRequiredValue(_front),
            Nodes = result.GetRequiredValue(_nodes),
            Management = result.GetValue(_management) ?? [],
            Store = result.GetValue(_store),
            Campaign = result.GetRequiredValue(_campaign),
            BudgetUsd = result.GetValue(_budget),
            Rate = result.GetValue(_rate),
            Duration = result.GetValue(_duration),
            Connections = result.GetValue(_connections),
            BudgetedShare = result.GetValue(_budgetedShare),
            BillRatio = result.GetValue(_billRatio),
            LossRatio = result.GetValue(_lossRatio),
            ReplayRatio = result.GetValue(_replayRatio),
            Settle = result.GetValue(_settle),
            Seed = result.GetValue(_seed),
            Out = result.GetValue(_out),
        };
    }

    private static Uri Loopback(ArgumentResult r, string value)
    {
        try
        {
            return TargetUri.ParseLoopback(value);
        }
        catch (ArgumentException e)
        {
            r.AddError(e.Message);
            return new Uri("http://127.0.0.1");
        }
    }

    private static double Number(ArgumentResult r, double min, double max)
    {
        var text = r.Tokens[0].Value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
        {
            return n;
        }

        r.AddError(string.Create(CultureInfo.InvariantCulture, $"{(r.Parent as OptionResult)?.Option.Name}: '{text}' must be a number from {min} to {max}."));
        return 0;
    }

    /// <summary>Up to 10 minutes: a money run is bounded.</summary>
    private static TimeSpan Duration(ArgumentResult r)
    {
        var name = (r.Parent as OptionResult)?.Option.Name ?? "--duration";
        try
        {
            var d = CommandLine.ParseDuration(name, r.Tokens[0].Value, allowZero: true);
            if (d <= TimeSpan.FromMinutes(10))
            {
                return d;
            }

            r.AddError($"{name}: at most 10 minutes.");
        }
        catch (ArgumentException e)
        {
            r.AddError(e.Message);
        }

        return TimeSpan.Zero;
    }
}
