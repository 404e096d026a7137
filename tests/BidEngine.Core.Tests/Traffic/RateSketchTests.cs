using BidEngine.Core.Tests.Events;
using BidEngine.Core.Traffic;
using CsCheck;

namespace BidEngine.Core.Tests.Traffic;

/// <summary>The count-min sketch's promises: never low, high by more than e·N/width rarely, and a window that forgets.</summary>
public sealed class RateSketchTests
{
    [Fact]
    public void NeverCountsAKeyBelowItsRequestsAndRarelyAboveTheBound() =>
        Gen.Select(Gen.Int[1, 200].Array[1, 300], Gen.Int[6, 9], Gen.Int[1, 4]).Sample((counts, widthBits, depth) =>
        {
            var time = new ManualTime(DateTimeOffset.UnixEpoch);
            var width = 1 << widthBits;
            var sketch = new RateSketch(width, depth, 10, time, seed: 42);
            var keys = counts.Select((_, i) => (ulong)(i * 7919) + 1).ToArray();

            // Interleaved, within one second: the window holds every request.
            var left = (int[])counts.Clone();
            var total = 0L;
            for (var round = 0; left.Any(n => n > 0); round++)
            {
                for (var k = 0; k < keys.Length; k++)
                {
                    if (left[k]-- > 0)
                    {
                        sketch.Add(keys[k]);
                        total++;
                    }
                }
            }

            var bound = Math.E * total / sketch.Width;
            var over = 0;
            for (var k = 0; k < keys.Length; k++)
            {
                var estimate = sketch.Estimate(keys[k]);
                Assert.True(estimate >= counts[k], $"key {k}: {estimate} < {counts[k]}");
                if (estimate - counts[k] > bound)
                {
                    over++;
                }
            }

            // P(over the bound) <= e^-depth per key: allow three times that share, plus one for small samples.
            Assert.True(over <= (3 * Math.Exp(-depth) * keys.Length) + 1, $"{over} of {keys.Length} keys over e·N/w = {bound:F1} (depth {depth})");
        }, iter: 100);

    [Fact]
    public void ForgetsRequestsOnceTheyLeaveTheWindow()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var sketch = new RateSketch(1024, 4, 3, time, seed: 1);
        for (var i = 0; i < 5; i++)
        {
            sketch.Add(7);
        }

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(6u, sketch.Add(7));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(7u, sketch.Add(7));

        // Three seconds after the first five, they are out; the two later ones stay.
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3u, sketch.Add(7));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0u, sketch.Estimate(7));
        sketch.Add(7);
        sketch.Clear();
        Assert.Equal(0u, sketch.Estimate(7));
    }

    [Fact]
    public void CountsEveryRequestOfManyThreadsWithinOneSecond()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var sketch = new RateSketch(1024, 4, 10, time, seed: 3);
        sketch.Add(9);
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                sketch.Add(9);
            }
        });
        Assert.Equal(80_001u, sketch.Estimate(9));
    }
}
