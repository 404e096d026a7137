using BidEngine.Core.Budgets;
using BidEngine.Core.Time;
using CsCheck;

namespace BidEngine.Core.Tests.Budgets;

/// <summary>The ledger's chunked stamp queue against <see cref="Queue{T}"/>, and sweeps longer than one slice.</summary>
public sealed class StampQueueTests
{
    [Fact]
    public void BehavesAsAQueueOverAnyMixOfEnqueuesAndDequeuesAcrossChunks()
    {
        // Each op: a positive count enqueues that many, a negative one dequeues up to that many.
        Gen.Int[-3 * StampQueue.ChunkSize, 3 * StampQueue.ChunkSize].Array[1, 40].Sample(ops =>
        {
            var queue = new StampQueue();
            var model = new Queue<ReservationStamp>();
            long next = 0;
            foreach (var op in ops)
            {
                for (var i = 0; i < op; i++)
                {
                    var stamp = new ReservationStamp(++next, next * 7);
                    queue.Enqueue(stamp);
                    model.Enqueue(stamp);
                }

                for (var i = 0; i < -op && model.Count > 0; i++)
                {
                    Assert.True(queue.TryPeek(out var peeked));
                    Assert.Equal(model.Peek(), peeked);
                    Assert.Equal(model.Dequeue(), queue.Dequeue());
                }

                Assert.Equal(model.Count, queue.Count);
            }

            while (model.Count > 0)
            {
                Assert.Equal(model.Dequeue(), queue.Dequeue());
            }

            Assert.False(queue.TryPeek(out _));
            Assert.Throws<InvalidOperationException>(() => queue.Dequeue());
        }, iter: 60);
    }

    [Fact]
    public void BehavesAsAQueueWhileItsChunksGrowFromTheFirstSmallOne()
    {
        Gen.Int[-40, 80].Array[1, 60].Sample(ops =>
        {
            var queue = new StampQueue();
            var model = new Queue<ReservationStamp>();
            long next = 0;
            foreach (var op in ops)
            {
                for (var i = 0; i < op; i++)
                {
                    var stamp = new ReservationStamp(++next, next * 3);
                    queue.Enqueue(stamp);
                    model.Enqueue(stamp);
                }

                for (var i = 0; i < -op && model.Count > 0; i++)
                {
                    Assert.Equal(model.Dequeue(), queue.Dequeue());
                }

                var copy = new List<ReservationStamp>();
                queue.CopyTo(copy);
                Assert.Equal(model, copy);
            }
        }, iter: 200);
    }

    [Fact]
    public void HoldsNothingUntilTheFirstStampAndAllocatesNothingOnceItsLevelIsReached()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var queue = new StampQueue();
        var empty = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(empty, 1, 64); // the queue object alone: no chunk, no collections

        // A campaign with up to 10,000 bids outstanding: the first round grows the chunks, the next allocate nothing.
        long next = 0;
        void Round()
        {
            for (var i = 0; i < 10_000; i++)
            {
                queue.Enqueue(new ReservationStamp(++next, next));
            }

            while (queue.Count > 0)
            {
                queue.Dequeue();
            }
        }

        Round();
        Round();
        before = GC.GetAllocatedBytesForCurrentThread();
        for (var r = 0; r < 5; r++)
        {
            Round();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void AHundredThousandAccountsThatNeverReserveCostUnderHalfAKilobyteEach()
    {
        var ledger = new InProcessBudgetLedger(new ManualClock(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero)), new LedgerOptions());
        var ids = Enumerable.Range(0, 100_000).Select(i => "cmp-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var limits = ids.Select(id => KeyValuePair.Create(id, BudgetLimits.Unlimited)).ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();
        ledger.SetLimits(limits);
        var perAccount = (GC.GetAllocatedBytesForCurrentThread() - before) / ids.Length;
        Assert.True(perAccount < 512, $"{perAccount} B an account");
        Assert.Equal(ReserveOutcome.Reserved, ledger.Reserve("cmp-7", 1, 1_000));
    }

    [Fact]
    public void ASweepLongerThanOneSliceExpiresAndForgetsEverythingDue()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var ledger = new InProcessBudgetLedger(clock, new LedgerOptions { ReservationTtl = TimeSpan.FromSeconds(10), LateNoticeWindow = TimeSpan.FromSeconds(10) });
        ledger.SetLimits("c", new BudgetLimits(Money.FromUnits(1_000_000m), null, TimeZoneInfo.Utc));
        var bids = (10 * BudgetAccount.SweepSlice) + 17;
        for (long id = 1; id <= bids; id++)
        {
            Assert.Equal(ReserveOutcome.Reserved, ledger.Reserve("c", id, 2_000_000));
        }

        Assert.Equal(ReleaseOutcome.Released, ledger.Release("c", 5));
        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(bids - 1, ledger.Expire());
        Assert.True(ledger.TryRead("c", out var balance));
        Assert.Equal(0, balance.ReservedNanos);

        // Still remembered: a late bill counts; then, past the late window, everything is forgotten.
        Assert.Equal(SettleOutcome.SettledAfterExpiry, ledger.Settle("c", bids, 1_000_000));
        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(0, ledger.Expire());
        Assert.Equal(0, ledger.Held);
    }
}
