using System.Diagnostics;
using BidEngine.Core.Deadlines;
using BidEngine.Model.Scoring;

namespace BidEngine.Model.Tests;

/// <summary>
/// The watchdog keeps polling while runs keep starting (a run never pays a wake-up under load),
/// parks once runs stop, and the first run after that wakes it (the cut-off tests in
/// <see cref="OnnxCtrScorerTests"/> start from a parked watchdog).
/// </summary>
public sealed class RunWatchdogTests(ScorerFixture model) : IClassFixture<ScorerFixture>
{
    [Fact]
    public async Task BusyScorerKeepsTheWatchdogAwakeAndAQuietOneLetsItPark()
    {
        using var scorer = new OnnxCtrScorer(model.Fp32Path);
        var watchdog = scorer.Watchdog;
        var policy = new DeadlinePolicy(new DeadlineOptions());

        // Quiet from the start: it parks after IdlePollsBeforeParking polls of ~1 ms.
        Assert.True(await Eventually(() => watchdog.IsParked), "the watchdog never parked while no run started");

        // Watched runs back to back for 400 ms: the first wakes it, then it stays up. The first
        // design parked and was woken again at nearly every 1 ms poll: hundreds of parkings here.
        var parkingsBefore = watchdog.Parkings;
        var runs = 0;
        var until = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 2 / 5);
        while (Stopwatch.GetTimestamp() < until)
        {
            var rows = scorer.Rent(1);
            TestModels.Ids(1, 6, 10, runs).CopyTo(rows.Features(0));
            var now = Stopwatch.GetTimestamp();
            Assert.True(await scorer.ScoreAsync(rows, policy.ModelLimit(new RequestDeadline(now, now + Stopwatch.Frequency))));
            scorer.Return(rows);
            runs++;
        }

        Assert.True(runs > 100, $"only {runs} runs in 400 ms");
        Assert.True(watchdog.Parkings - parkingsBefore <= 2, $"parked {watchdog.Parkings - parkingsBefore} times during {runs} back-to-back runs");

        // Quiet again: it parks again.
        Assert.True(await Eventually(() => watchdog.IsParked), "the watchdog did not park after the runs stopped");
    }

    private static async Task<bool> Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 200; i++)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(25);
        }

        return condition();
    }
}
