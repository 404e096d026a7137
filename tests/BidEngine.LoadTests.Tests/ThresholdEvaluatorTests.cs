using BidEngine.LoadTests.Running;
using BidEngine.LoadTests.Thresholds;
using Xunit;

namespace BidEngine.LoadTests.Tests;

public sealed class ThresholdEvaluatorTests
{
    private static RunSummary Run(double p99 = 4, long late = 0, long timeouts = 0, long errors = 0, long sent = 1000) => new()
    {
        Label = "steady-500rps",
        Model = "open",
        Sent = sent,
        P99Ms = p99,
        Late = late,
        Timeouts = timeouts,
        TransportErrors = errors,
        ThroughputRps = 500,
    };

    [Fact]
    public void PassesARunWithinEveryLimit()
    {
        var checks = ThresholdEvaluator.Evaluate(new ThresholdSet { MaxP99Ms = 10, MaxLate = 0, MaxErrors = 0 }, Run());

        Assert.Equal(3, checks.Count);
        Assert.All(checks, c => Assert.True(c.Passed));
    }

    [Fact]
    public void NamesEachLimitThatARunMisses()
    {
        var checks = ThresholdEvaluator.Evaluate(new ThresholdSet { MaxP99Ms = 10, MaxLate = 0, MaxErrors = 0 }, Run(p99: 12.5, late: 3, timeouts: 1));

        var failed = checks.Where(c => !c.Passed).Select(c => c.Name).ToList();
        Assert.Equal(["p99 ms", "errors (transport + timeouts)", "late answers (after tmax)"], failed);
        Assert.Contains("FAIL steady-500rps: p99 ms 12.5 (limit <= 10)", checks[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ChecksNothingThatIsNotSet()
    {
        Assert.Empty(ThresholdEvaluator.Evaluate(new ThresholdSet(), Run(p99: 1e6, late: 99, errors: 99)));
    }

    [Fact]
    public void AppliesMinimumsToCountsAndThroughput()
    {
        var checks = ThresholdEvaluator.Evaluate(new ThresholdSet { MinRequests = 2000, MinThroughputRps = 400 }, Run());

        Assert.False(checks.Single(c => c.Name == "requests sent").Passed);
        Assert.True(checks.Single(c => c.Name == "throughput rps").Passed);
    }

    [Fact]
    public void ChecksTheOverloadCriteriaAnsweredShareAndGoodputAgainstTheCapacity()
    {
        var limits = new ThresholdSet { MinAnsweredRatio = 0.999, MinGoodputRatio = 0.8 };
        var good = Run(sent: 10_000) with { Answered = 9_995, GoodputRps = 8_500, CapacityRps = 10_000 };
        var poor = Run(sent: 10_000) with { Answered = 9_000, GoodputRps = 2_000, CapacityRps = 10_000 };

        Assert.True(ThresholdEvaluator.Passes(limits, good));
        var failed = ThresholdEvaluator.Evaluate(limits, poor).Where(c => !c.Passed).Select(c => c.Name).ToList();
        Assert.Equal(["answered ratio", "goodput / capacity"], failed);
    }

    [Fact]
    public void SkipsTheGoodputLimitForRunsWithoutACapacity()
    {
        var checks = ThresholdEvaluator.Evaluate(new ThresholdSet { MinGoodputRatio = 0.8 }, Run() with { GoodputRps = 0 });

        Assert.Empty(checks);
    }

    [Theory]
    [InlineData("model", "model")]
    [InlineData(" Heuristic ", "heuristic")]
    [InlineData("shed", "shed")]
    [InlineData("no-candidates", "no-candidates")]
    [InlineData("none", "none")]
    [InlineData("refused", "other")]
    public void TellsThePathsTheBidderNamesApart(string header, string name) =>
        Assert.Equal(name, BidEngine.LoadTests.Http.PathTags.Name(BidEngine.LoadTests.Http.PathTags.Parse(System.Text.Encoding.ASCII.GetBytes(header))));

    [Fact]
    public void LimitIsInclusive()
    {
        Assert.True(ThresholdEvaluator.Passes(new ThresholdSet { MaxP99Ms = 10 }, Run(p99: 10)));
    }

    [Fact]
    public void CapacityCheckComparesTheHighestPassingStep()
    {
        Assert.False(ThresholdEvaluator.EvaluateCapacity(new ThresholdSet { MinCapacityRps = 1000 }, 750)!.Passed);
        Assert.True(ThresholdEvaluator.EvaluateCapacity(new ThresholdSet { MinCapacityRps = 1000 }, 1000)!.Passed);
        Assert.Null(ThresholdEvaluator.EvaluateCapacity(new ThresholdSet(), 1000));
    }

    [Fact]
    public void ReadsTheThresholdsFileWithComments()
    {
        var file = ThresholdsFile.Parse("""
            {
              // per scenario
              "scenarios": { "Steady": { "maxP99Ms": 10, "maxLate": 0 }, }
            }
            """);

        Assert.Equal(10, file.For("steady").MaxP99Ms);
        Assert.Equal(0, file.For("steady").MaxLate);
        Assert.Null(file.For("closed").MaxP99Ms);
    }

    [Fact]
    public void RejectsAMisspelledLimit()
    {
        Assert.Throws<System.Text.Json.JsonException>(() => ThresholdsFile.Parse("""{ "scenarios": { "steady": { "maxP99": 10 } } }"""));
    }

    [Fact]
    public void TheRepositoryThresholdsFileCoversEveryScenario()
    {
        var root = Targets.RepoPaths.FindRoot()!;
        var file = ThresholdsFile.Load(Targets.RepoPaths.DefaultThresholds(root));

        foreach (var name in Cli.ScenarioDefaults.Names)
        {
            Assert.True(file.Scenarios.ContainsKey(name), name);
        }

        Assert.Equal(10, file.For("steady").MaxP99Ms);
    }
}
