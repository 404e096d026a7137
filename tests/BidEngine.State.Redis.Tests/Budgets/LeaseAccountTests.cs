using BidEngine.Core.Budgets;
using BidEngine.State.Redis.Budgets;

namespace BidEngine.State.Redis.Tests.Budgets;

/// <summary>One account's bookkeeping without a store: the orders in which the loop and a notice can meet.</summary>
public sealed class LeaseAccountTests
{
    private const long Price = 1_000_000;
    private const long Bid = 42;

    [Fact]
    public void AnInboxBillThatComesWhileTheOwnSettleIsAtTheStoreFreesTheReservationWhenThatSettleFindsItSettledElsewhere()
    {
        var account = AccountWithOneReservation(out var now);

        Assert.Equal(SettleStep.Go, account.BeginSettle(Bid, Price / 2, out var prior));
        account.ApplyInbox(Bill(Price / 2));
        Assert.Equal(1, account.Read(now).Outstanding);
        account.AbortSettle(Bid, prior);

        var balance = account.Read(now);
        Assert.Equal(0, balance.Outstanding);
        Assert.Equal(0, balance.ReservedNanos);
        Assert.Equal(SettleStep.AlreadySettled, account.BeginSettle(Bid, Price / 2, out _));
    }

    [Fact]
    public void AnInboxLossThatComesWhileTheOwnSettleIsAtTheStoreReleasesTheReservationWhenThatSettleIsUnanswered()
    {
        var account = AccountWithOneReservation(out var now);

        Assert.Equal(SettleStep.Go, account.BeginSettle(Bid, Price / 2, out var prior));
        account.ApplyInbox(Loss());
        account.AbortSettle(Bid, prior);

        Assert.Equal(0, account.Read(now).Outstanding);
        Assert.Equal(SettleStep.AlreadyReleased, account.BeginSettle(Bid, Price / 2, out _));
    }

    [Fact]
    public void AnInboxItemHeldDuringTheOwnSettleIsDroppedWhenTheStoreCountedThatSettle()
    {
        var account = AccountWithOneReservation(out var now);

        Assert.Equal(SettleStep.Go, account.BeginSettle(Bid, Price / 2, out var prior));
        account.ApplyInbox(Loss());
        var reply = new SettleReply(false, 0, Price / 2, 9 * Price, -1, 3, Price / 2, -1, -1, false);
        Assert.Equal(SettleOutcome.Settled, account.CompleteSettle(Bid, prior, Price / 2, Price / 2, reply, now));
        account.AbortSettle(Bid, prior);

        var balance = account.Read(now);
        Assert.Equal(0, balance.Outstanding);
        Assert.Equal(0, balance.ReservedNanos);
        Assert.Equal(SettleStep.AlreadySettled, account.BeginSettle(Bid, Price / 2, out _));
    }

    private static InboxItem Bill(long clearing) => new(Bid, true, clearing, 10 * Price - clearing, -1, 2, -1, "c");

    private static InboxItem Loss() => new(Bid, false, 0, -1, -1, -1, -1, "c");

    private static LeaseAccount AccountWithOneReservation(out long nowUtcTicks)
    {
        var account = new LeaseAccount("c", new BudgetLimits(100 * Price, null, TimeZoneInfo.Utc));
        nowUtcTicks = DateTime.UtcNow.Ticks;
        account.ApplyLease(new LeaseView(10 * Price, 0, 1, 0, 10 * Price, 0, 0, 1), 0, sentTimestamp: 1, usableTicks: long.MaxValue / 2);
        Assert.Equal(ReserveOutcome.Reserved, account.Reserve(Bid, Price, nowUtcTicks, nowTimestamp: 2));
        return account;
    }
}
