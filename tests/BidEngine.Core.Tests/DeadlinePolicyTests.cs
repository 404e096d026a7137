using System.Diagnostics;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Pipeline;
using BidEngine.Core.Scoring;

namespace BidEngine.Core.Tests;

public sealed class DeadlinePolicyTests
{
    private static readonly DeadlinePolicy Policy = new(new DeadlineOptions { DefaultTmaxMs = 100, MaxTmaxMs = 300, NetworkReserveMs = 20 });

    private static double BudgetMs(RequestDeadline d) => (d.DeadlineTimestamp - d.ArrivalTimestamp) * 1000.0 / Stopwatch.Frequency;

    private static long Ms(double ms) => (long)(ms * Stopwatch.Frequency / 1000);

    [Theory]
    [InlineData(120, 100)]
    [InlineData(0, 80)]
    [InlineData(5000, 280)]
    [InlineData(10, 0)]
    public void SetsTheDeadlineFromTmaxTheDefaultTheCapAndTheReserve(int tmax, double expectedMs) =>
        Assert.Equal(expectedMs, BudgetMs(Policy.For(1_000_000, tmax)), 3);

    [Fact]
    public void ChoosesNoneOnceTheDeadlineHasPassed()
    {
        var passed = new RequestDeadline(0, Stopwatch.GetTimestamp() - 1);
        Assert.Equal(ScoringPath.None, Policy.Choose(passed, scorer: null, rows: 1));
        Assert.False(Policy.CanStillAnswer(passed));
    }

    [Fact]
    public void ChoosesTheHeuristicWithoutAModel()
    {
        var plenty = Policy.For(Stopwatch.GetTimestamp(), 100);
        Assert.Equal(ScoringPath.Heuristic, Policy.Choose(plenty, scorer: null, rows: 1));
    }

    [Fact]
    public void ModelLimitEndsAWriteReserveBeforeTheDeadlineAndItsWaitTheSlackBeforeThat()
    {
        var policy = new DeadlinePolicy(new DeadlineOptions { WriteReserveMicros = 300, AsyncModelSlackMs = 2, ModelCostSafetyFactor = 3 });
        var deadline = new RequestDeadline(0, 1_000_000_000);

        var limit = policy.ModelLimit(deadline);

        Assert.Equal(deadline.DeadlineTimestamp - (300 * Stopwatch.Frequency / 1_000_000), limit.EndTimestamp);
        Assert.Equal(limit.EndTimestamp - (2 * Stopwatch.Frequency / 1000), limit.WaitEndTimestamp);
        Assert.Equal(3, limit.SafetyFactor);
        Assert.True(policy.ModelLimit(RequestDeadline.None).IsUnbounded);
    }

    /// <remarks>
    /// Cost 10 ms, factor 3, reserve 50 ms: the model needs 80 ms. 70 ms left is enough for the
    /// cost with the factor alone (30) or with the reserve alone (60), not for both. The clock is
    /// given, so a test runner that stalls between the lines cannot change the answer.
    /// </remarks>
    [Theory]
    [InlineData(70, ScoringPath.Heuristic)]
    [InlineData(90, ScoringPath.Model)]
    public void ChoosesTheModelOnlyWhenItsCostTimesTheFactorPlusTheReserveFits(int leftMs, ScoringPath expected)
    {
        var policy = new DeadlinePolicy(new DeadlineOptions { WriteReserveMicros = 50_000, ModelCostSafetyFactor = 3 });
        var scorer = new FixedCostScorer(Ms(10));
        var now = Stopwatch.GetTimestamp();
        var deadline = new RequestDeadline(now, now + Ms(leftMs));

        Assert.Equal(expected, policy.Choose(deadline, scorer, rows: 1, now));
        Assert.Equal(expected == ScoringPath.Model, policy.ModelLimit(deadline).Fits(now, scorer.EstimatedCostTicks(1)));
    }

    /// <remarks>
    /// Cost 5 ms, factor 2, reserve 1 ms, default budget 85 ms: a request that waited up to 74 ms
    /// in the queue still gets the model, up to 84 ms the heuristic, and after that nothing (and
    /// is shed before parsing). A busy machine that answers in time loses nothing.
    /// </remarks>
    [Theory]
    [InlineData(0, ScoringPath.Model)]
    [InlineData(40, ScoringPath.Model)]
    [InlineData(66, ScoringPath.Model)]
    [InlineData(78, ScoringPath.Heuristic)]
    [InlineData(92, ScoringPath.None)]
    public void DegradesFromModelToHeuristicToNothingOnlyAsTheQueueEatsTheBudget(int queuedMs, ScoringPath expected)
    {
        var policy = new DeadlinePolicy(new DeadlineOptions { WriteReserveMicros = 1000, ModelCostSafetyFactor = 2, NetworkReserveMs = 15, DefaultTmaxMs = 100 });
        var scorer = new FixedCostScorer(Ms(5));
        var now = Stopwatch.GetTimestamp();
        var arrival = policy.Arrival(now, Ms(queuedMs));

        Assert.Equal(expected, policy.Choose(policy.For(arrival, 0), scorer, rows: 1, now));
        Assert.Equal(expected == ScoringPath.None, policy.ShouldShed(arrival, inFlight: 1, now));
    }

    [Fact]
    public void ShedsWhenMoreThanMaxInFlightWhateverTheTimeLeft()
    {
        var policy = new DeadlinePolicy(new DeadlineOptions { MaxInFlight = 4 });
        var now = Stopwatch.GetTimestamp();

        Assert.False(policy.ShouldShed(now, inFlight: 4, now));
        Assert.True(policy.ShouldShed(now, inFlight: 5, now));
    }

    [Fact]
    public void CountsTheQueueDelayIntoTheArrivalOnlyWhenAskedTo()
    {
        Assert.Equal(1000 - 300, new DeadlinePolicy(new DeadlineOptions { CountQueueDelay = true }).Arrival(1000, 300));
        Assert.Equal(1000, new DeadlinePolicy(new DeadlineOptions { CountQueueDelay = false }).Arrival(1000, 300));

        // Without the queue delay counted, no queue sheds: only the in-flight bound does.
        var blind = new DeadlinePolicy(new DeadlineOptions { CountQueueDelay = false });
        var now = Stopwatch.GetTimestamp();
        Assert.False(blind.ShouldShed(blind.Arrival(now, Ms(5000)), inFlight: 1, now));
    }

    [Fact]
    public void AdmissionControlLetsInAsManyAsThePolicyAllowsAndCountsThemOut()
    {
        using var probe = new QueueDelayProbe();
        var admission = new AdmissionControl(probe, new DeadlinePolicy(new DeadlineOptions { MaxInFlight = 1, CountQueueDelay = false }));

        Assert.True(admission.TryEnter(out var arrival));
        Assert.True(arrival > 0);
        Assert.False(admission.TryEnter(out _));
        Assert.Equal(1, admission.InFlight);
        admission.Leave();
        Assert.True(admission.TryEnter(out _));
        admission.Leave();
        Assert.Equal(0, admission.InFlight);
    }

    [Theory]
    [InlineData(nameof(DeadlineOptions.WriteReserveMicros), 85_000)]
    [InlineData(nameof(DeadlineOptions.ModelCostSafetyFactor), double.NaN)]
    [InlineData(nameof(DeadlineOptions.ModelCostSafetyFactor), 0.5)]
    public void RefusesSettingsThatWouldShedEverythingOrNeverCountTheCost(string setting, double value)
    {
        var options = new DeadlineOptions();
        typeof(DeadlineOptions).GetProperty(setting)!.SetValue(options, setting == nameof(DeadlineOptions.WriteReserveMicros) ? (object)(int)value : value);

        Assert.Contains(options.Validate(), e => e.StartsWith("BidEngine:Deadline:" + setting, StringComparison.Ordinal));
        Assert.Empty(new DeadlineOptions().Validate());
    }

    /// <summary>A scorer that only reports a cost: the policy never calls it.</summary>
    private sealed class FixedCostScorer(long costTicks) : ICtrScorer
    {
        public string Name => "fixed";

        public int FeatureCount => 1;

        public int HashBits => 1;

        public int MaxRows => 128;

        public long EstimatedCostTicks(int rows) => costTicks;

        public ScoringRows Rent(int rows) => throw new NotSupportedException();

        public ValueTask<bool> ScoreAsync(ScoringRows rows, ModelTimeLimit limit, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public void Return(ScoringRows rows) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
