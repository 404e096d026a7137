using BidEngine.Core.FrequencyCaps;
using BidEngine.Core.Notices;

namespace BidEngine.Core.Budgets;

/// <summary>
/// Where a verified billing notice becomes money: the ledger settles the bid's reservation at the
/// clearing price, and if it did (once per bid: a replay is refused), the user's impression counts
/// toward the campaign's frequency cap. It takes a <see cref="BillingNotice"/>, so how a notice is
/// checked (plain query today, a signed token next) can change without touching the accounting.
/// </summary>
public sealed class BillingBook(IBudgetLedger ledger, IFrequencyCaps caps)
{
    private readonly long[] _outcomes = new long[Enum.GetValues<SettleOutcome>().Length];
    private long _lateNanos;

    public IBudgetLedger Ledger => ledger;

    public IFrequencyCaps Caps => caps;

    /// <summary>Settles the notice's reservation; true when it became spend (counted once per bid).</summary>
    public SettleOutcome Bill(in BillingNotice notice)
    {
        var campaign = notice.Campaign;
        var outcome = ledger.Settle(campaign.Id, notice.BidId, notice.ClearingNanos);
        Interlocked.Increment(ref _outcomes[(int)outcome]);
        if (!SettleOutcomes.IsSpend(outcome))
        {
            return outcome;
        }

        if (SettleOutcomes.IsLate(outcome))
        {
            Interlocked.Add(ref _lateNanos, notice.ClearingNanos);
        }

        if (campaign.Rules.FrequencyCap is { } cap)
        {
            caps.Count(notice.User, campaign.FrequencyKey, cap);
        }

        return outcome;
    }

    /// <summary>Billing notices that ended with <paramref name="outcome"/> since start.</summary>
    public long Count(SettleOutcome outcome) => Interlocked.Read(ref _outcomes[(int)outcome]);

    /// <summary>Spend from notices that came after their reservation expired, in nanos of each campaign's currency (summed across currencies).</summary>
    public long LateNanos => Interlocked.Read(ref _lateNanos);
}
