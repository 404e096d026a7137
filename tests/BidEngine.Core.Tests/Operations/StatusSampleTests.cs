using System.Diagnostics;
using BidEngine.Core.Operations;

namespace BidEngine.Core.Tests.Operations;

/// <summary>One second of counters becomes the rates and shares the status page charts.</summary>
public sealed class StatusSampleTests
{
    private static readonly LatencyQuantiles Latency = new(100, 0.2, 1.5, 4.0);

    [Fact]
    public void TwoReadingsASecondApartBecomeRatesAndSharesOfTheAnswers()
    {
        var before = new TrafficReading(Timestamp: 1000, Finished: 50, Bids: 20, Model: 30, Heuristic: 10, None: 5, Shed: 2, NoCandidates: 5, Late: 1, Billed: 3, Skipped: 40, Capped: 10);
        var after = before with
        {
            Timestamp = 1000 + Stopwatch.Frequency,
            Finished = 150,
            Bids = 80,
            Model = 90,
            Heuristic = 20,
            None = 15,
            Shed = 7,
            NoCandidates = 25,
            Late = 3,
            Billed = 9,
            Skipped = 140,
            Capped = 35,
        };

        var sample = StatusSample.Between(before, after, Stopwatch.Frequency, 1_800_000_000, Latency);

        // 100 answers by path: 60 model, 10 heuristic, 10 none of which 5 shed, 20 without candidates.
        Assert.Equal(1_800_000_000, sample.UnixSeconds);
        Assert.Equal((100.0, 60.0), (sample.RequestsPerSecond, sample.BidsPerSecond));
        Assert.Equal((0.2, 1.5, 4.0), (sample.P50Ms, sample.P99Ms, sample.P999Ms));
        Assert.Equal(0.6, sample.ModelShare, 12);
        Assert.Equal(0.1, sample.HeuristicShare, 12);
        Assert.Equal(0.05, sample.NoTimeShare, 12);
        Assert.Equal(0.05, sample.ShedShare, 12);
        Assert.Equal(0.2, sample.NoCandidatesShare, 12);
        Assert.Equal((2.0, 0.02), (sample.LatePerSecond, sample.LateShare));
        Assert.Equal((6.0, 100.0, 25.0), (sample.BilledPerSecond, sample.SkippedPerSecond, sample.CappedPerSecond));
    }

    [Fact]
    public void ASecondWithoutAnswersHasNoSharesOrTimesRatherThanZeros()
    {
        var before = new TrafficReading(1000, 5, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0);
        var after = before with { Timestamp = 1000 + (2 * Stopwatch.Frequency) };

        var sample = StatusSample.Between(before, after, Stopwatch.Frequency, 1, LatencyQuantiles.None);

        Assert.Equal((0.0, 0.0, 0.0), (sample.RequestsPerSecond, sample.LatePerSecond, sample.BilledPerSecond));
        Assert.True(double.IsNaN(sample.ModelShare) && double.IsNaN(sample.ShedShare) && double.IsNaN(sample.LateShare));
        Assert.True(double.IsNaN(sample.P50Ms) && double.IsNaN(sample.P999Ms));
    }

    [Fact]
    public void ACounterThatStartedAfterTheFirstReadingGivesNoNegativeRate()
    {
        // Recording starts at ready: a reading taken during warm-up can be ahead of nothing, never behind.
        var before = new TrafficReading(1000, 10, 10, 10, 0, 0, 0, 0, 0, 0, 0, 0);
        var after = new TrafficReading(1000 + Stopwatch.Frequency, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        var sample = StatusSample.Between(before, after, Stopwatch.Frequency, 1, LatencyQuantiles.None);

        Assert.Equal((0.0, 0.0), (sample.RequestsPerSecond, sample.BidsPerSecond));
    }
}
