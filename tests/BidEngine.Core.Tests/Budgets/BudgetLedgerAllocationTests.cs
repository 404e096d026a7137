using BidEngine.Core.Budgets;
using BidEngine.Core.Time;

namespace BidEngine.Core.Tests.Budgets;

public sealed class BudgetLedgerAllocationTests
{
    [Fact]
    public void ReserveAndSettleAllocateNothingOnceTheAccountHasGrown()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var ledger = new InProcessBudgetLedger(clock, new LedgerOptions { ReservationTtl = TimeSpan.FromSeconds(10), LateNoticeWindow = TimeSpan.FromSeconds(10) });
        var campaign = "cmp-alloc";
        ledger.SetLimits(campaign, new BudgetLimits(Money.FromUnits(1_000_000m), Money.FromUnits(100_000m), TimeZoneInfo.Utc));
        long id = 0;

        // One round: 1,000 bids over one simulated second, half won, the rest left to expire.
        void Round()
        {
            for (var i = 0; i < 1000; i++)
            {
                id++;
                if (ledger.Reserve(campaign, id, 5_000_000) != ReserveOutcome.Reserved)
                {
                    throw new InvalidOperationException("refused");
                }

                if ((id & 1) == 0)
                {
                    ledger.Settle(campaign, id, 4_000_000);
                }
            }

            clock.Advance(TimeSpan.FromSeconds(1));
            ledger.Expire();
        }

        // Records live 20 s: after 40 rounds the dictionary and queues are as large as they get.
        for (var r = 0; r < 40; r++)
        {
            Round();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var r = 0; r < 20; r++)
        {
            Round();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(ledger.ExpiredTotal > 0);
    }
}
