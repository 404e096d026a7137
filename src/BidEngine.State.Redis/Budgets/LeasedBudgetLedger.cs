using BidEngine.Core.Budgets;
using BidEngine.Core.State;
using BidEngine.Core.Time;
using StackExchange.Redis;

namespace BidEngine.State.Redis.Budgets;

/// <summary>
/// A fleet's budgets by lease. The store holds per campaign the limit, the fleet's spend and the sum
/// of the slices nodes hold (<c>leased</c>), and one lease entry per node; a grant is never more than
/// limit − spent − leased, so all slices together never pass the budget. A node reserves from its own
/// slice in memory (the bid path never touches the network and allocates nothing in steady state);
/// its loop leases the next slice before this one runs out, renews it, drains the node's inbox and
/// gives back what it does not use. A bill settles at any node: the store adds c to spent and takes
/// it out of the owning node's slice (the money was held there) in one script; the owner frees the
/// reservation when its inbox brings the bill (or at once, when the bill came to it).
///
/// <para><b>Overspend bound.</b> For a budget B (total, or a day's), fleet-wide spent ≤ B + L, where
/// L, the late spend, is the part of bills no live slice covered, each bill counted once (the store's
/// settle marker): (1) bills for reservations that expired at their node (<c>ReservationTtl</c>) after
/// their money was reserved again: at most the prices of those bids (as in one process); (2) bills for
/// reservations of a node whose lease lapsed (killed, or cut off from the store longer than the lease
/// can be spent): at most what that node had outstanding, ≤ its slice; a node stops spending a slice
/// <c>NodeLeaseTtl × (1 − LeaseSafetyMargin)</c> after the request that renewed it was sent, by its own
/// monotonic clock, before the store can reap it. A stopped node keeps its outstanding part leased for
/// <c>ReservationTtl</c>, so its late bills are covered.</para>
///
/// <para><b>Stranded.</b> Money leased but not spendable when the pool is empty: per node with
/// traffic, less than one bid (its slice's free part is refilled to a fair share, (pool + free) /
/// (2 × nodes), never below one bid); an idle node's free part goes back after <c>IdleReturnAfter</c>;
/// a killed node's slice after <c>NodeLeaseTtl</c>. So with N nodes bidding at most p, the fleet stops
/// at spent ≥ B − (N + 1) × p once idle slices are back (the pool's rest, below one bid, included).</para>
///
/// <para><b>Clocks.</b> Lease expiry is the store's clock (<c>TIME</c> in the script) plus the TTL;
/// nodes judge their own lease from monotonic time since they sent the renewal, so wall-clock skew
/// between nodes does not touch leases. Wall clocks decide the day (each node's, in the campaign's
/// zone): a node ahead by s leases the new day's daily budget s early, and the settle marker and
/// reservation times are wall clock as in <see cref="InProcessBudgetLedger"/>.</para>
///
/// <para><b>Store out of reach.</b> Reserve goes on from the slice until its usable life ends, then
/// refuses (budgeted campaigns stop: at most the slices held are spent). Settle answers
/// <see cref="SettleOutcome.Unavailable"/> within <c>OperationTimeout</c> with nothing changed; a
/// settle whose reply was lost but which the store ran is recognised on retry by its marker. A bill
/// for another node's bid is checked against its price only at the owner (this node does not know
/// the reservation); its token bounds it.</para>
/// </summary>
public sealed partial class LeasedBudgetLedger : IBudgetLedger
{
    private readonly StoreLink _link;
    private readonly StoreKeys _keys;
    private readonly IClock _clock;
    private readonly RedisStateOptions _options;
    private readonly int _epoch;
    private readonly Lock _writeLock = new();
    private readonly long[] _settleOutcomes = new long[Enum.GetValues<SettleOutcome>().Length];
    private volatile Dictionary<string, LeaseAccount> _accounts = new(StringComparer.Ordinal);
    private long _lateSpent;
    private long _expired;
    private long _reserves;
    private long _notices;

    internal LeasedBudgetLedger(StoreLink link, StoreKeys keys, IClock clock, RedisStateOptions options, int epoch)
    {
        _link = link;
        _keys = keys;
        _clock = clock;
        _options = options;
        _epoch = epoch;
    }

    /// <summary>Spend counted from bills no slice covered (all campaigns, mixed currencies): the overspend bound's L as this node saw it.</summary>
    public long LateSpentNanosTotal => Interlocked.Read(ref _lateSpent);

    /// <summary>Reservations freed by expiry since start.</summary>
    public long ExpiredTotal => Interlocked.Read(ref _expired);

    /// <summary>Reserve calls since start (for round trips per bid).</summary>
    public long ReserveCalls => Interlocked.Read(ref _reserves);

    /// <summary>Settle and release calls since start (for round trips per notice).</summary>
    public long NoticeCalls => Interlocked.Read(ref _notices);

    /// <summary>How many settles ended with <paramref name="outcome"/>.</summary>
    public long SettleCount(SettleOutcome outcome) => Interlocked.Read(ref _settleOutcomes[(int)outcome]);

    /// <summary>This node's slice of a campaign and what its reservations hold of it, for a gauge; false for an unknown campaign.</summary>
    public bool TryReadLease(string campaignId, out long sliceNanos, out long reservedNanos)
    {
        if (_accounts.TryGetValue(campaignId, out var account))
        {
            (sliceNanos, reservedNanos, _, _) = account.Level;
            return true;
        }

        sliceNanos = reservedNanos = 0;
        return false;
    }

    /// <summary>
    /// Every campaign's slice and what this node's reservations hold of it, for a metrics exporter at
    /// scrape time: one short hold of each campaign's lock, one tuple per campaign, nothing kept.
    /// </summary>
    public IEnumerable<(string CampaignId, long Slice, long Reserved)> Leases()
    {
        foreach (var account in _accounts.Values)
        {
            var (slice, reserved, _, _) = account.Level;
            yield return (account.CampaignId, slice, reserved);
        }
    }

    public void SetLimits(string campaignId, BudgetLimits limits) => SetLimits([KeyValuePair.Create(campaignId, limits)]);

    /// <summary>Local only: the loop carries the limit to the store with the next lease (every node has the same campaigns).</summary>
    public void SetLimits(IEnumerable<KeyValuePair<string, BudgetLimits>> limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        lock (_writeLock)
        {
            Dictionary<string, LeaseAccount>? grown = null;
            foreach (var (campaignId, campaignLimits) in limits)
            {
                ArgumentNullException.ThrowIfNull(campaignLimits);
                if ((grown ?? _accounts).TryGetValue(campaignId, out var account))
                {
                    account.SetLimits(campaignLimits, _clock.UtcNow);
                    continue;
                }

                grown ??= new Dictionary<string, LeaseAccount>(_accounts, StringComparer.Ordinal);
                grown[campaignId] = new LeaseAccount(campaignId, campaignLimits);
            }

            if (grown is not null)
            {
                _accounts = grown;
            }
        }
    }

    /// <summary>The bid path: this node's slice in memory, one lock per campaign, no store, 0 B (AllocationTests).</summary>
    public ReserveOutcome Reserve(string campaignId, long reservationId, long amountNanos)
    {
        Interlocked.Increment(ref _reserves);
        if (amountNanos <= 0)
        {
            return ReserveOutcome.InvalidAmount;
        }

        return _accounts.TryGetValue(campaignId, out var account)
            ? account.Reserve(reservationId, amountNanos, _clock.UtcNow.UtcTicks, _clock.Timestamp)
            : ReserveOutcome.UnknownCampaign;
    }

    public SettleOutcome Settle(string campaignId, long reservationId, long clearingNanos)
    {
        Interlocked.Increment(ref _notices);
        var outcome = SettleCore(campaignId, reservationId, clearingNanos);
        Interlocked.Increment(ref _settleOutcomes[(int)outcome]);
        return outcome;
    }

    public ReleaseOutcome Release(string campaignId, long reservationId)
    {
        Interlocked.Increment(ref _notices);
        if (!_accounts.TryGetValue(campaignId, out var account))
        {
            return ReleaseOutcome.UnknownCampaign;
        }

        var owner = BidIds.EpochOf(reservationId);
        if (owner == _epoch)
        {
            return account.Release(reservationId);
        }

        // Another node's bid: its owner frees it when its inbox brings this. No answer from the store is
        // "unknown" to the caller, which keeps the loss unmarked for a retry.
        var result = _link.Eval(
            LeaseScripts.Release,
            [_keys.Heartbeat(owner), _keys.Inbox(owner)],
            [reservationId, campaignId, (long)InboxTtl.TotalMilliseconds]);
        return result is not null && (long)result == 1 ? ReleaseOutcome.Released : ReleaseOutcome.UnknownReservation;
    }

    public int Expire()
    {
        var now = _clock.UtcNow.UtcTicks;
        var expireBefore = now - _options.ReservationTtl.Ticks;
        var forgetBefore = expireBefore - _options.LateNoticeWindow.Ticks;
        var expired = 0;
        foreach (var account in _accounts.Values)
        {
            expired += account.Expire(expireBefore, forgetBefore, now).Expired;
        }

        Interlocked.Add(ref _expired, expired);
        return expired;
    }

    /// <summary>The fleet's spend (as of the last store reply) and this node's reservations.</summary>
    public bool TryRead(string campaignId, out BudgetBalance balance)
    {
        if (_accounts.TryGetValue(campaignId, out var account))
        {
            balance = account.Read(_clock.UtcNow.UtcTicks);
            return true;
        }

        balance = default;
        return false;
    }

    public bool HasBudgetLeft(string campaignId)
        => _accounts.TryGetValue(campaignId, out var account) && account.HasBudgetLeft(_clock.UtcNow.UtcTicks, _clock.Timestamp);

    private TimeSpan InboxTtl => _options.ReservationTtl + _options.LateNoticeWindow;

    private SettleOutcome SettleCore(string campaignId, long reservationId, long clearingNanos)
    {
        if (clearingNanos < 0)
        {
            return SettleOutcome.InvalidAmount;
        }

        if (!_accounts.TryGetValue(campaignId, out var account))
        {
            return SettleOutcome.UnknownCampaign;
        }

        var owner = BidIds.EpochOf(reservationId);
        if (owner != _epoch)
        {
            return SettleElsewhere(account, owner, reservationId, clearingNanos);
        }

        var step = account.BeginSettle(reservationId, clearingNanos, out var prior);
        switch (step)
        {
            case SettleStep.AlreadySettled:
                return SettleOutcome.AlreadySettled;
            case SettleStep.AlreadyReleased:
                return SettleOutcome.AlreadyReleased;
            case SettleStep.PriceAboveReservation:
                return SettleOutcome.PriceAboveReservation;
            case SettleStep.InFlight:
                return SettleOutcome.Unavailable;
            case SettleStep.NotHeld:
                // Made here but forgotten (or lost with a restart of the same epoch): spend, and nothing held it.
                var lost = RunSettle(account, owner, reservationId, clearingNanos, cover: false);
                if (lost is not { } l)
                {
                    return SettleOutcome.Unavailable;
                }

                if (l.Repeat)
                {
                    return SettleOutcome.AlreadySettled;
                }

                Interlocked.Add(ref _lateSpent, clearingNanos);
                return SettleOutcome.SettledWithoutReservation;
        }

        var reply = RunSettle(account, owner, reservationId, clearingNanos, cover: true);
        if (reply is not { } r)
        {
            account.AbortSettle(reservationId, prior);
            return SettleOutcome.Unavailable;
        }

        if (r.Repeat && r.SettledBy != _epoch)
        {
            // Another node took this bill; its inbox item frees the reservation here (at once, if it came while this settle was at the store).
            account.AbortSettle(reservationId, prior);
            return SettleOutcome.AlreadySettled;
        }

        // A repeat by this node is a retry of a settle whose reply was lost: the store counted it then
        // (and took it from the slice, which the next lease reply shows); finish it here now.
        var covered = r.Repeat ? clearingNanos : r.Covered;
        var outcome = account.CompleteSettle(reservationId, prior, clearingNanos, covered, r, _clock.UtcNow.UtcTicks);
        var late = outcome == SettleOutcome.SettledAfterExpiry ? clearingNanos : clearingNanos - covered;
        Interlocked.Add(ref _lateSpent, late);
        return outcome;
    }

    private SettleOutcome SettleElsewhere(LeaseAccount account, int owner, long reservationId, long clearingNanos)
    {
        if (RunSettle(account, owner, reservationId, clearingNanos, cover: true) is not { } r)
        {
            return SettleOutcome.Unavailable;
        }

        if (r.Repeat)
        {
            // Settled by this node before: a retry of a call whose reply was lost, which the store ran then.
            return r.SettledBy == _epoch ? SettleOutcome.Settled : SettleOutcome.AlreadySettled;
        }

        var limited = account.Limits.TotalNanos is not null || account.Limits.DailyNanos is not null;
        if (r.Pushed && (r.Covered == clearingNanos || !limited))
        {
            return SettleOutcome.Settled;
        }

        // The owner is gone (or its lease lapsed): the exchange billed it, so it is spend that nothing held.
        Interlocked.Add(ref _lateSpent, clearingNanos - r.Covered);
        return SettleOutcome.SettledWithoutReservation;
    }

    private SettleReply? RunSettle(LeaseAccount account, int owner, long reservationId, long clearingNanos, bool cover)
    {
        var campaignId = account.CampaignId;
        var day = CurrentDay(account);
        var result = _link.Eval(
            LeaseScripts.Settle,
            [_keys.Budget(campaignId), _keys.Day(campaignId, day), _keys.Lease(campaignId), _keys.SettleMarker(reservationId), _keys.Inbox(owner), _keys.Heartbeat(owner)],
            [owner, _epoch, clearingNanos, (long)InboxTtl.TotalMilliseconds, reservationId, campaignId, cover ? 1 : 0, day, DayKeyTtlSeconds]);
        return result is null ? null : SettleReply.From(result);
    }

    private long DayKeyTtlSeconds => (long)TimeSpan.FromDays(_options.DayKeyDays + 1).TotalSeconds;

    private int CurrentDay(LeaseAccount account) => LocalDay.Containing(_clock.UtcNow, account.Limits.TimeZone).DayNumber;
}
