using BidEngine.Core.Budgets;
using BidEngine.Core.Time;

namespace BidEngine.Core.Tests.Budgets;

/// <summary>The candidate filter's look at a budget without the account's lock agrees with the exact balance.</summary>
public sealed class HasBudgetLeftTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AgreesWithTheLockedBalanceThroughReservesBillsReleasesAndExpiry()
    {
        var clock = new ManualClock(Start);
        var ledger = new InProcessBudgetLedger(clock, new LedgerOptions { ReservationTtl = TimeSpan.FromSeconds(10), LateNoticeWindow = TimeSpan.FromSeconds(10) });
        ledger.SetLimits("c", new BudgetLimits(Money.FromUnits(10m), Money.FromUnits(4m), TimeZoneInfo.Utc));
        Assert.False(ledger.HasBudgetLeft("unknown"));

        void Check()
        {
            Assert.True(ledger.TryRead("c", out var b));
            Assert.Equal(b.RemainingNanos != 0 && b.RemainingTodayNanos != 0, ledger.HasBudgetLeft("c"));
        }

        Check();
        long id = 0;
        var outcomes = new List<ReserveOutcome>();
        for (var i = 0; i < 6; i++)
        {
            outcomes.Add(ledger.Reserve("c", ++id, Money.FromUnits(1m)));
            Check();
        }

        // The daily 4 is held by reservations: no budget left until one ends.
        Assert.Equal(4, outcomes.Count(o => o == ReserveOutcome.Reserved));
        Assert.False(ledger.HasBudgetLeft("c"));
        Assert.Equal(ReleaseOutcome.Released, ledger.Release("c", 1));
        Check();
        Assert.True(ledger.HasBudgetLeft("c"));
        Assert.Equal(SettleOutcome.Settled, ledger.Settle("c", 2, Money.FromUnits(1m)));
        Check();
        clock.Advance(TimeSpan.FromSeconds(11));
        ledger.Expire();
        Check();
        Assert.True(ledger.HasBudgetLeft("c"));
    }

    [Fact]
    public void ANewLocalDayFreesTheDailyBudgetWithoutAnyOtherCallFirst()
    {
        var clock = new ManualClock(Start);
        var ledger = new InProcessBudgetLedger(clock, new LedgerOptions());
        ledger.SetLimits("c", new BudgetLimits(Money.FromUnits(100m), Money.FromUnits(2m), TimeZoneInfo.Utc));
        Assert.Equal(ReserveOutcome.Reserved, ledger.Reserve("c", 1, Money.FromUnits(1m)));
        Assert.Equal(ReserveOutcome.Reserved, ledger.Reserve("c", 2, Money.FromUnits(1m)));
        Assert.Equal(SettleOutcome.Settled, ledger.Settle("c", 1, Money.FromUnits(1m)));
        Assert.Equal(SettleOutcome.Settled, ledger.Settle("c", 2, Money.FromUnits(1m)));
        Assert.False(ledger.HasBudgetLeft("c"));

        // Past midnight UTC: the filter itself must see the new day (nothing else touches the account).
        clock.Advance(TimeSpan.FromHours(12));
        Assert.True(ledger.HasBudgetLeft("c"));

        // The total still binds across days.
        ledger.SetLimits("c", new BudgetLimits(Money.FromUnits(2m), Money.FromUnits(2m), TimeZoneInfo.Utc));
        Assert.False(ledger.HasBudgetLeft("c"));
    }
}
