using BidEngine.Core.State;
using MessagePack;
using BidEngine.Core.Time;

namespace BidEngine.Core.Budgets;

/// <summary>
/// The ledger of one bidder, in its memory (the default until a shared store exists). Accounts are
/// found through a dictionary replaced whole when a campaign is added (reloads are rare, lookups are
/// every bid); each account has its own lock. Reserve on the common path allocates nothing once the
/// account's dictionary and queues have grown to the traffic (AllocationTests checks it). Keeps the
/// overspend bound written on <see cref="IBudgetLedger"/>.
/// </summary>
public sealed class InProcessBudgetLedger : IBudgetLedger
{
    private readonly IClock _clock;
    private readonly LedgerOptions _options;
    private readonly Lock _writeLock = new();
    private readonly long[] _settleOutcomes = new long[Enum.GetValues<SettleOutcome>().Length];
    private volatile Dictionary<string, BudgetAccount> _accounts = new(StringComparer.Ordinal);
    private int _held;
    private long _expired;
    private long _lateSpent;

    public InProcessBudgetLedger(IClock clock, LedgerOptions? options = null)
    {
        _clock = clock;
        _options = options ?? new LedgerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.ReservationTtl, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.LateNoticeWindow, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.MaxReservations, 0);
    }

    /// <summary>Where each change is reported so that it survives a restart; null: memory only.</summary>
    public IStateJournal? Journal { get; set; }

    /// <summary>Records held now (outstanding and remembered), for a gauge.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Reservations freed by expiry since start, for a counter.</summary>
    public long ExpiredTotal => Interlocked.Read(ref _expired);

    /// <summary>Spend counted from billing notices that came after their reservation expired (all campaigns, mixed currencies).</summary>
    public long LateSpentNanosTotal => Interlocked.Read(ref _lateSpent);

    /// <summary>How many settles ended with <paramref name="outcome"/>, for a counter per reason.</summary>
    public long SettleCount(SettleOutcome outcome) => Interlocked.Read(ref _settleOutcomes[(int)outcome]);

    public void SetLimits(string campaignId, BudgetLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        lock (_writeLock)
        {
            if (_accounts.TryGetValue(campaignId, out var account))
            {
                account.SetLimits(limits, _clock.UtcNow);
                return;
            }

            _accounts = new Dictionary<string, BudgetAccount>(_accounts, StringComparer.Ordinal) { [campaignId] = new BudgetAccount(limits) };
        }
    }

    /// <summary>
    /// Many campaigns at once (load and reload): one copy of the account map for the whole set. One
    /// copy per campaign made loading 100,000 campaigns quadratic (minutes instead of milliseconds).
    /// </summary>
    public void SetLimits(IEnumerable<KeyValuePair<string, BudgetLimits>> limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        lock (_writeLock)
        {
            Dictionary<string, BudgetAccount>? grown = null;
            foreach (var (campaignId, campaignLimits) in limits)
            {
                ArgumentNullException.ThrowIfNull(campaignLimits);
                if ((grown ?? _accounts).TryGetValue(campaignId, out var account))
                {
                    account.SetLimits(campaignLimits, _clock.UtcNow);
                    continue;
                }

                grown ??= new Dictionary<string, BudgetAccount>(_accounts, StringComparer.Ordinal);
                grown[campaignId] = new BudgetAccount(campaignLimits);
            }

            if (grown is not null)
            {
                _accounts = grown;
            }
        }
    }

    public ReserveOutcome Reserve(string campaignId, long reservationId, long amountNanos)
    {
        if (amountNanos <= 0)
        {
            return ReserveOutcome.InvalidAmount;
        }

        if (!_accounts.TryGetValue(campaignId, out var account))
        {
            return ReserveOutcome.UnknownCampaign;
        }

        // A soft cap: threads racing here may pass it by at most their number.
        if (Volatile.Read(ref _held) >= _options.MaxReservations)
        {
            return ReserveOutcome.LedgerFull;
        }

        var now = _clock.UtcNow.UtcTicks;
        var outcome = account.Reserve(reservationId, amountNanos, now);
        if (outcome == ReserveOutcome.Reserved)
        {
            Interlocked.Increment(ref _held);
            Journal?.Append(new StateRecord { Kind = StateRecordKind.Reserve, CampaignId = campaignId, BidId = reservationId, Amount = amountNanos, UtcTicks = now });
        }

        return outcome;
    }

    public SettleOutcome Settle(string campaignId, long reservationId, long clearingNanos)
    {
        var now = _clock.UtcNow.UtcTicks;
        var outcome = SettleAt(campaignId, reservationId, clearingNanos, now);
        Interlocked.Increment(ref _settleOutcomes[(int)outcome]);
        if (SettleOutcomes.IsLate(outcome))
        {
            Interlocked.Add(ref _lateSpent, clearingNanos);
        }

        if (SettleOutcomes.IsSpend(outcome))
        {
            Journal?.Append(new StateRecord { Kind = StateRecordKind.Settle, CampaignId = campaignId, BidId = reservationId, Amount = clearingNanos, UtcTicks = now });
        }

        return outcome;
    }

    public ReleaseOutcome Release(string campaignId, long reservationId)
    {
        var now = _clock.UtcNow.UtcTicks;
        var outcome = ReleaseAt(campaignId, reservationId, now);
        if (outcome == ReleaseOutcome.Released)
        {
            Journal?.Append(new StateRecord { Kind = StateRecordKind.Release, CampaignId = campaignId, BidId = reservationId, UtcTicks = now });
        }

        return outcome;
    }

    /// <summary>
    /// Replays a reservation from the journal: held whatever the budget says now (the bid was made), at
    /// its own time, unless the ledger holds that id already (a snapshot took it). Not journaled again.
    /// </summary>
    public void RestoreReserve(string campaignId, long reservationId, long amountNanos, long utcTicks)
    {
        if (_accounts.TryGetValue(campaignId, out var account) && account.Restore(reservationId, amountNanos, utcTicks))
        {
            Interlocked.Increment(ref _held);
        }
    }

    /// <summary>Replays a settle from the journal at its own time (idempotent: a settled record stays settled).</summary>
    public void RestoreSettle(string campaignId, long reservationId, long clearingNanos, long utcTicks)
    {
        if (SettleOutcomes.IsLate(SettleAt(campaignId, reservationId, clearingNanos, utcTicks)))
        {
            Interlocked.Add(ref _lateSpent, clearingNanos);
        }
    }

    /// <summary>Replays a release from the journal (idempotent).</summary>
    public void RestoreRelease(string campaignId, long reservationId, long utcTicks) => ReleaseAt(campaignId, reservationId, utcTicks);

    private SettleOutcome SettleAt(string campaignId, long reservationId, long clearingNanos, long utcTicks) =>
        clearingNanos < 0 ? SettleOutcome.InvalidAmount
            : !_accounts.TryGetValue(campaignId, out var account) ? SettleOutcome.UnknownCampaign
            : account.Settle(reservationId, clearingNanos, utcTicks);

    private ReleaseOutcome ReleaseAt(string campaignId, long reservationId, long utcTicks) =>
        _accounts.TryGetValue(campaignId, out var account)
            ? account.Release(reservationId, utcTicks)
            : ReleaseOutcome.UnknownCampaign;

    public int Expire()
    {
        // Wall-clock times: a record outlives the process that made it. A clock set forward expires
        // reservations early (their bills still count, as late spend); set back, it holds them longer.
        var now = _clock.UtcNow.UtcTicks;
        var expireBefore = now - _options.ReservationTtl.Ticks;
        var forgetBefore = expireBefore - _options.LateNoticeWindow.Ticks;
        var utc = now;
        var expired = 0;
        foreach (var account in _accounts.Values)
        {
            var (e, forgotten) = account.Expire(expireBefore, forgetBefore, utc);
            expired += e;
            Interlocked.Add(ref _held, -forgotten);
        }

        Interlocked.Add(ref _expired, expired);
        return expired;
    }

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
        => _accounts.TryGetValue(campaignId, out var account) && account.HasBudgetLeft(_clock.UtcNow.UtcTicks);

    /// <summary>Every account (spend, today's, every record still held) for the state snapshot.</summary>
    public void WriteSnapshot(ref MessagePackWriter writer)
    {
        var accounts = _accounts;
        writer.WriteArrayHeader(accounts.Count);
        foreach (var (campaignId, account) in accounts)
        {
            account.WriteSnapshot(ref writer, campaignId);
        }
    }

    /// <summary>Restores the accounts of the campaigns loaded now from a snapshot; returns the campaigns skipped (no longer loaded).</summary>
    public int ReadSnapshot(ref MessagePackReader reader)
    {
        var skipped = 0;
        var count = reader.ReadArrayHeader();
        for (var i = 0; i < count; i++)
        {
            var fields = reader.ReadArrayHeader();
            var campaignId = reader.ReadString()!;
            if (_accounts.TryGetValue(campaignId, out var account))
            {
                Interlocked.Add(ref _held, account.ReadSnapshot(ref reader));
                for (var f = 10; f < fields; f++)
                {
                    reader.Skip();
                }
            }
            else
            {
                skipped++;
                for (var f = 1; f < fields; f++)
                {
                    reader.Skip();
                }
            }
        }

        return skipped;
    }
}
