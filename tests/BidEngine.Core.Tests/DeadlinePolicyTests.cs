using System.Diagnostics;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Pipeline;

namespace BidEngine.Core.Tests;

public sealed class DeadlinePolicyTests
{
    private static readonly DeadlinePolicy Policy = new(new DeadlineOptions { DefaultTmaxMs = 100, MaxTmaxMs = 300, NetworkReserveMs = 20 });

    private static double BudgetMs(RequestDeadline d) => (d.DeadlineTimestamp - d.ArrivalTimestamp) * 1000.0 / Stopwatch.Frequency;

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
}
