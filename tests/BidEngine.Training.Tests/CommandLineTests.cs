using System.CommandLine;
using System.Text;
using BidEngine.Training.Commands;
using BidEngine.Training.Learning;

namespace BidEngine.Training.Tests;

public sealed class CommandLineTests
{
    private static ParseResult Parse(params string[] args) => TrainingCommandLine.Parse(TrainingCommandLine.Create(TextWriter.Null, "test"), args);

    private static async Task<(int Exit, string Output, string Error)> InvokeAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await TrainingCommandLine.InvokeAsync(args, output, error, "test");
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void ReadsEveryTrainerOption()
    {
        var trainer = new TrainerOptions("--train-seed");
        var command = new Command("t").With(trainer.All);
        var result = command.Parse(["--k", "8", "--epochs", "3", "--train-seed", "5", "--lr", "0.02", "--lr-factors", "0.03", "--l2", "0.04", "--l2-linear", "0.005",
            "--ftrl", "false", "--alpha", "0.1", "--beta", "2", "--l1", "0.5", "--ftrl-l2", "3", "--decay", "0.9"]);

        Assert.Empty(result.Errors);
        Assert.Equal(new FmTrainerOptions
        {
            FactorDim = 8,
            Epochs = 3,
            Seed = 5,
            LinearRate = 0.02,
            FactorRate = 0.03,
            FactorL2 = 0.04,
            LinearL2 = 0.005,
            LinearFtrl = false,
            FtrlAlpha = 0.1,
            FtrlBeta = 2,
            FtrlL1 = 0.5,
            FtrlL2 = 3,
            EpochRateDecay = 0.9,
        }, trainer.Read(result));
    }

    [Fact]
    public void TrainerOptionsDefaultToTheShippedModels()
    {
        var trainer = new TrainerOptions("--seed");
        var result = new Command("t").With(trainer.All).Parse([]);

        Assert.Equal(new FmTrainerOptions(), trainer.Read(result));
    }

    [Fact]
    public void ReadsAllsOptionsAndDefaults()
    {
        var given = Parse("all", "--events", "12_000_000", "--seed", "7", "--bits", "20", "--keep-data", "true", "--models", "out");
        var defaults = Parse("all");

        Assert.Empty(given.Errors);
        Assert.Equal((12_000_000, 7, 20, true, "out"), (given.GetValue<int>("--events"), given.GetValue<int>("--seed"), given.GetValue<int>("--bits"), given.GetValue<bool>("--keep-data"), given.GetValue<string>("--models")));
        Assert.Equal((AllCommand.DefaultEvents, 42, 18, false, "models"), (defaults.GetValue<int>("--events"), defaults.GetValue<int>("--seed"), defaults.GetValue<int>("--bits"), defaults.GetValue<bool>("--keep-data"), defaults.GetValue<string>("--models")));
        Assert.Equal(("data/sim.msgpack", "config/campaigns.json", TrainCommand.DefaultHoldout, TrainCommand.DefaultCalibration),
            (defaults.GetValue<string>("--data"), defaults.GetValue<string>("--campaigns"), defaults.GetValue<double>("--holdout"), defaults.GetValue<double>("--calibration")));
    }

    [Theory]
    [InlineData("--keep-data", true)]
    [InlineData("--keep-data true", true)]
    [InlineData("--keep-data false", false)]
    [InlineData("--keep-data False", false)]
    [InlineData("", false)]
    public void ReadsABooleanAloneOrWithItsValue(string args, bool expected)
    {
        var result = Parse(["all", .. args.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);

        Assert.Empty(result.Errors);
        Assert.Equal(expected, result.GetValue<bool>("--keep-data"));
    }

    [Fact]
    public void EvaluateWritesItsMetricsBesideTheModelsNameUnlessToldWhere()
    {
        Assert.Null(Parse("evaluate", "--model", "models/ctr.int8.onnx").GetValue<string?>("--json"));
        Assert.Equal(Path.Combine("data", "eval.ctr.int8.json"), EvaluateCommand.DefaultJsonPath("models/ctr.int8.onnx"));
        Assert.Equal("x.json", Parse("evaluate", "--json", "x.json").GetValue<string?>("--json"));
    }

    [Theory]
    [InlineData("train --bits 99", "--bits")]
    [InlineData("train --holdout 2", "--holdout")]
    [InlineData("simulate --events many", "--events")]
    [InlineData("simulate --evnts 3", "--evnts")]
    [InlineData("all --keep-data maybe", "'maybe'")]
    [InlineData("quantize --block-rows 0", "--block-rows")]
    [InlineData("train --data", "--data")]
    [InlineData("fit", "fit")]
    public async Task RefusesABadCommandLineWithExitCode2NamingTheCulprit(string args, string culprit)
    {
        var (exit, output, error) = await InvokeAsync(args.Split(' '));

        Assert.Equal(TrainingCommandLine.UsageExitCode, exit);
        Assert.Equal("", output); // nothing ran
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        var help = error.IndexOf("Usage:", StringComparison.Ordinal);
        Assert.True(help > 0, error);
        Assert.Contains(culprit, error[..help], StringComparison.Ordinal); // the messages before the help name it
    }

    [Fact]
    public async Task WithoutAVerbPrintsTheVerbsAndExits2()
    {
        var (exit, _, error) = await InvokeAsync();

        Assert.Equal(TrainingCommandLine.UsageExitCode, exit);
        Assert.All(Verbs, v => Assert.Contains(v, error, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("help")]
    public async Task HelpListsTheVerbsAndExits0(string help)
    {
        var (exit, output, _) = await InvokeAsync(help);

        Assert.Equal(0, exit);
        Assert.All(Verbs, v => Assert.Contains(v, output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AVerbsHelpListsItsOptionsWithDefaults()
    {
        var (exit, output, _) = await InvokeAsync("train", "--help");

        Assert.Equal(0, exit);
        foreach (var option in new[] { "--data", "--out", "--bits", "--k", "--epochs", "--seed", "--holdout", "--calibration", "--priors", "--ftrl", "--alpha", "--decay" })
        {
            Assert.Contains(option + " <", output, StringComparison.Ordinal);
        }

        Assert.Contains("[default: models/ctr.priors.json]", output, StringComparison.Ordinal);
    }

    /// <summary>models/regenerate.sh and every step models/README.md shows must parse as written there.</summary>
    [Fact]
    public void TheCommandsTheDocsShowParse()
    {
        var root = RepositoryRoot();
        var regenerate = File.ReadAllLines(Path.Combine(root, "models", "regenerate.sh"));
        Assert.Contains(regenerate, l => l.EndsWith("--project src/BidEngine.Training -- all \"$@\"", StringComparison.Ordinal));

        var lines = DocCommands(File.ReadAllText(Path.Combine(root, "models", "README.md")));
        Assert.Equal(Verbs.Length - 1, lines.Select(l => l[0]).Distinct().Count()); // every verb but all is shown step by step
        Assert.All(lines.Append(["all"]).Append(["all", "--keep-data", "true"]), args =>
        {
            var result = Parse([.. args]);
            Assert.True(result.Errors.Count == 0, string.Join(' ', args) + ": " + string.Join("; ", result.Errors.Select(e => e.Message)));
        });
    }

    private static readonly string[] Verbs = ["simulate", "train", "export", "quantize", "evaluate", "card", "all", "sweep", "audit"];

    /// <summary>The arguments of each <c>$T verb ...</c> line (with its continuations, without its comment).</summary>
    private static List<List<string>> DocCommands(string markdown)
    {
        var commands = new List<List<string>>();
        var text = markdown.Replace("\\\n", " ", StringComparison.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("$T ", StringComparison.Ordinal))
            {
                continue;
            }

            var hash = line.IndexOf(" #", StringComparison.Ordinal);
            commands.Add(Split(hash < 0 ? line[3..] : line[3..hash]));
        }

        return commands;
    }

    /// <summary>Splits as a shell would for these lines: on spaces, keeping "quoted parts" whole.</summary>
    private static List<string> Split(string line)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                if (current.Length > 0)
                {
                    args.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            args.Add(current.ToString());
        }

        return args;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BidEngine.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No BidEngine.sln above {AppContext.BaseDirectory}.");
    }
}
