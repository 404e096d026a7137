using BidEngine.Core.Budgets;
using BidEngine.Core.Time;

namespace BidEngine.Core.Tests.Budgets;

public sealed class BudgetLedgerBulkLimitsTests
{
    [Fact]
    public void SetsTheLimitsOfAHundredThousandCampaignsAtOnceAndKeepsTheSpendOfThoseAlreadyKnown()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var ledger = new InProcessBudgetLedger(clock, new LedgerOptions());
        ledger.SetLimits("cmp-0", new BudgetLimits(Money.FromUnits(10m), null, TimeZoneInfo.Utc));
        Assert.Equal(ReserveOutcome.Reserved, ledger.Reserve("cmp-0", 1, Money.FromUnits(4m)));
        Assert.Equal(SettleOutcome.Settled, ledger.Settle("cmp-0", 1, Money.FromUnits(3m)));

        // A reload of 100,000 campaigns: one call, not one copy of the account map per campaign.
        ledger.SetLimits(Enumerable.Range(0, 100_000).Select(i => KeyValuePair.Create("cmp-" + i, new BudgetLimits(Money.FromUnits(20m), null, TimeZoneInfo.Utc))));

        Assert.True(ledger.TryRead("cmp-0", out var kept));
        Assert.Equal(Money.FromUnits(3m), kept.SpentNanos);
        Assert.Equal(Money.FromUnits(17m), kept.RemainingNanos);
        Assert.True(ledger.TryRead("cmp-99999", out var last));
        Assert.Equal(Money.FromUnits(20m), last.RemainingNanos);
        Assert.False(ledger.TryRead("cmp-100000", out _));
    }
}
