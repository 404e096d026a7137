using BidEngine.Core.Heuristics;

namespace BidEngine.Core.Tests;

public sealed class OutcomeCountsTests
{
    [Fact]
    public void CountsEveryImpressionAndClickFromManyThreadsAtOnce()
    {
        const int Threads = 8;
        const int PerThread = 50_000;
        var counts = new OutcomeCounts();
        using var start = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < PerThread; i++)
            {
                // Four pairs shared by every thread, so that threads race on the same cells and on adding them.
                var bucket = i % 4;
                counts.AddImpression("c" + (bucket % 2), bucket);
                if (i % 10 == 0)
                {
                    counts.AddClick("c" + (bucket % 2), bucket);
                }
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        var snapshot = counts.Snapshot();
        Assert.Equal(4, counts.PairCount);
        Assert.Equal((long)Threads * PerThread, snapshot.Sum(c => c.Impressions));
        Assert.Equal((long)Threads * PerThread / 10, snapshot.Sum(c => c.Clicks));
        Assert.Equal(Threads * PerThread / 4, counts.Get("c1", 1).Impressions);
        Assert.Equal(0, counts.Get("c1", 0).Impressions);
    }
}
