using BidEngine.Core.Budgets;
using BidEngine.Core.Notices;

namespace BidEngine.Core.Tests.Notices;

/// <summary>A bill the ledger could not take must stay retryable: the exchange's retry is judged again, not answered as a replay and lost.</summary>
public sealed class RetryableBillTests
{
    /// <summary>The rig's ledger, except that the first settles find the store out of reach.</summary>
    private sealed class FlakyLedger(IBudgetLedger inner, int failures) : IBudgetLedger
    {
        private int _failures = failures;

        public void SetLimits(string campaignId, BudgetLimits limits) => inner.SetLimits(campaignId, limits);

        public void SetLimits(IEnumerable<KeyValuePair<string, BudgetLimits>> limits) => inner.SetLimits(limits);

        public ReserveOutcome Reserve(string campaignId, long reservationId, long amountNanos) => inner.Reserve(campaignId, reservationId, amountNanos);

        public SettleOutcome Settle(string campaignId, long reservationId, long clearingNanos) =>
            Interlocked.Decrement(ref _failures) >= 0 ? SettleOutcome.Unavailable : inner.Settle(campaignId, reservationId, clearingNanos);

        public ReleaseOutcome Release(string campaignId, long reservationId) => inner.Release(campaignId, reservationId);

        public int Expire() => inner.Expire();

        public bool TryRead(string campaignId, out BudgetBalance balance) => inner.TryRead(campaignId, out balance);

        public bool HasBudgetLeft(string campaignId) => inner.HasBudgetLeft(campaignId);
    }

    [Fact]
    public void ABillTheStoreCouldNotTakeIsAnswered503AndItsRetryBecomesSpendOnce()
    {
        var rig = new NoticeRig();
        var bid = rig.Bid();
        var notices = new OutcomeNotices(() => rig.Snapshot, rig.Counts, new BillingBook(new FlakyLedger(rig.Ledger, 1), rig.Caps), rig.Signer, rig.Window, rig.Clock, TimeSpan.FromSeconds(600));
        var burl = NoticeRig.Fill(rig.Url(NoticeKind.Impression, bid));

        Assert.Equal(NoticeOutcome.StoreUnavailable, notices.Handle(NoticeKind.Impression, burl).Outcome);
        Assert.Equal(0, rig.SpentNanos);
        Assert.Equal(NoticeOutcome.Recorded, notices.Handle(NoticeKind.Impression, burl).Outcome);
        Assert.Equal(NoticeOutcome.Replayed, notices.Handle(NoticeKind.Impression, burl).Outcome);
        Assert.Equal(Money.PerImpressionFromCpm(1.5), rig.SpentNanos);
    }

    [Fact]
    public void ABillAtTheBidPriceSettlesWhatWasReservedWhenTheRatesMovedSinceTheBid()
    {
        // The reservation was converted at the bid's rates; the bill, converted at today's, comes to a nano more.
        var rig = new NoticeRig();
        Assert.Equal(ReserveOutcome.Reserved, rig.Ledger.Reserve(NoticeRig.Acme.Id, 5, 1_000_000));
        Assert.Equal(SettleOutcome.Settled, rig.Ledger.Settle(NoticeRig.Acme.Id, 5, 1_000_001));
        Assert.Equal(1_000_000, rig.SpentNanos);
    }
}
