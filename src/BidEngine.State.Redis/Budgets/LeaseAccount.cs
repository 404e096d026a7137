using System.Runtime.CompilerServices;
using BidEngine.Core.Budgets;
using BidEngine.Core.Time;

namespace BidEngine.State.Redis.Budgets;

/// <summary>
/// One campaign's money at one node: the slices it leased from the store (total, and today's for a
/// daily budget) and the reservations it made against them. Reserve checks reserved + a ≤ slice under
/// the account's lock and touches nothing else, so a bid never waits on the store; the store's answers
/// (absolute slices with the entry's version) are applied here by the loop and the notice path.
/// </summary>
internal sealed partial class LeaseAccount
{
    private readonly Lock _lock = new();
    // The in-process ledger's structures: sharded so that growing never rehashes every record under
    // the lock, and chunked queues that never copy (BudgetAccount says what each cost unsharded).
    private readonly ReservationRecords _records = new();
    private readonly StampQueue _young = new();
    private readonly StampQueue _old = new();
    private BudgetLimits _limits;

    // Inbox items for bids whose own settle was at the store when the item came (rare: a bill taken at
    // another node and retried here at once); applied when that settle ends. Null until first needed.
    private Dictionary<long, InboxItem>? _heldInbox;

    // This node's lease, as the store last said (absolute, versioned) and until when it may be spent (monotonic ticks).
    private long _slice;
    private long _daySlice;
    private int _sliceDay;
    private long _version;
    private long _leaseValidUntil;

    // Reservations held against the slices.
    private long _reserved;
    private long _reservedToday;
    private long _lateSpent;
    private int _outstanding;
    private int _day;
    private long _dayEndsUtcTicks;

    // The fleet's account at the last reply, for reads, pacing and the fair share of a refill.
    private long _fleetSpent;
    private long _fleetLeased;
    private long _daySpent;
    private long _dayLeased;
    private int _viewDay;
    private int _nodes = 1;

    // Demand since the last turn of the loop.
    private long _reservedSinceTurn;
    private long _maxBid;
    private long _lastReserveTimestamp;
    private long _lastTurnTimestamp;
    private long _lastAskTimestamp;
    private double _rate;
    private bool _starved;

    public LeaseAccount(string campaignId, BudgetLimits limits)
    {
        CampaignId = campaignId;
        _limits = limits;
    }

    public string CampaignId { get; }

    public BudgetLimits Limits => Volatile.Read(ref _limits);

    /// <summary>This node's slice and what its reservations hold of it, for a gauge.</summary>
    public (long Slice, long Reserved, long DaySlice, long ReservedToday) Level
    {
        get
        {
            lock (_lock)
            {
                return (_slice, _reserved, _daySlice, _reservedToday);
            }
        }
    }

    public void SetLimits(BudgetLimits limits, DateTimeOffset now)
    {
        lock (_lock)
        {
            var zoneChanged = limits.TimeZone.Id != _limits.TimeZone.Id;
            _limits = limits;
            if (zoneChanged && _dayEndsUtcTicks != 0)
            {
                _dayEndsUtcTicks = 0;
                RollDay(now.UtcTicks);
            }
        }
    }

    public ReserveOutcome Reserve(long id, long amount, long nowUtcTicks, long nowTimestamp)
    {
        lock (_lock)
        {
            RollDay(nowUtcTicks);
            _lastReserveTimestamp = nowTimestamp;
            if (amount > _maxBid)
            {
                _maxBid = amount;
            }

            var limits = _limits;
            var leaseValid = nowTimestamp < _leaseValidUntil;
            if (limits.TotalNanos is not null && (!leaseValid || _reserved + amount > _slice))
            {
                _starved = true;
                return ReserveOutcome.TotalExhausted;
            }

            if (limits.DailyNanos is not null && (!leaseValid || _sliceDay != _day || _reservedToday + amount > _daySlice))
            {
                _starved = true;
                return ReserveOutcome.DailyExhausted;
            }

            if (!_records.TryAdd(id, new Reservation { AmountNanos = amount, Day = _day, State = ReservationState.Outstanding }))
            {
                return ReserveOutcome.DuplicateReservation;
            }

            _young.Enqueue(new ReservationStamp(id, nowUtcTicks));
            _reserved += amount;
            _reservedToday += amount;
            _reservedSinceTurn += amount;
            _outstanding++;
            return ReserveOutcome.Reserved;
        }
    }

    /// <summary>A bill at this node for one of its own bids: checks the record and marks it settling while the store counts it.</summary>
    public SettleStep BeginSettle(long id, long clearing, out ReservationState prior)
    {
        lock (_lock)
        {
            prior = default;
            ref var record = ref _records.Find(id);
            if (Unsafe.IsNullRef(ref record))
            {
                return SettleStep.NotHeld;
            }

            switch (record.State)
            {
                case ReservationState.Settled:
                    return SettleStep.AlreadySettled;
                case ReservationState.Released:
                    return SettleStep.AlreadyReleased;
                case ReservationState.Settling:
                    return SettleStep.InFlight;
            }

            if (clearing > record.AmountNanos)
            {
                return SettleStep.PriceAboveReservation;
            }

            prior = record.State;
            record.State = ReservationState.Settling;
            return SettleStep.Go;
        }
    }

    /// <summary>The store did not answer (or another node settled it first): the record is as it was.</summary>
    public void AbortSettle(long id, ReservationState prior)
    {
        lock (_lock)
        {
            ref var record = ref _records.Find(id);
            if (!Unsafe.IsNullRef(ref record) && record.State == ReservationState.Settling)
            {
                record.State = prior;
                if (_heldInbox is not null && _heldInbox.Remove(id, out var held))
                {
                    End(ref record, held);
                }
            }
        }
    }

    /// <summary>
    /// The store counted the bill: the reservation's amount leaves this node's reservations, and the
    /// part of c the slice did not cover (the lease had lapsed, or the reservation had expired and its
    /// money was reserved again) is late spend.
    /// </summary>
    public SettleOutcome CompleteSettle(long id, ReservationState prior, long clearing, long covered, in SettleReply reply, long nowUtcTicks)
    {
        lock (_lock)
        {
            RollDay(nowUtcTicks);
            // The store counted this node's settle, so a held item is not news (it cannot be another node's bill of the same bid).
            _heldInbox?.Remove(id);
            ref var record = ref _records.Find(id);
            if (reply.Version > 0)
            {
                ApplySlices(reply.Slice, reply.DaySlice, reply.Version, reply.SliceDay);
            }

            if (reply.Spent >= 0)
            {
                _fleetSpent = Math.Max(_fleetSpent, reply.Spent);
                if (_viewDay == _day)
                {
                    _daySpent = Math.Max(_daySpent, reply.DaySpent);
                }
            }

            if (Unsafe.IsNullRef(ref record))
            {
                return SettleOutcome.Settled;
            }

            record.State = ReservationState.Settled;
            if (prior == ReservationState.Outstanding)
            {
                Free(record.AmountNanos, record.Day == _day);
                _lateSpent += clearing - covered;
                return SettleOutcome.Settled;
            }

            _lateSpent += clearing;
            return SettleOutcome.SettledAfterExpiry;
        }
    }

    /// <summary>A loss notice at this node for one of its own bids: local only, the freed money stays in the slice.</summary>
    public ReleaseOutcome Release(long id)
    {
        lock (_lock)
        {
            ref var record = ref _records.Find(id);
            if (Unsafe.IsNullRef(ref record))
            {
                return ReleaseOutcome.UnknownReservation;
            }

            if (record.State != ReservationState.Outstanding)
            {
                return ReleaseOutcome.AlreadyEnded;
            }

            Free(record.AmountNanos, record.Day == _day);
            record.State = ReservationState.Released;
            return ReleaseOutcome.Released;
        }
    }

    /// <summary>
    /// A notice another node took for one of this node's bids, from the inbox: a bill (the store has
    /// already taken c out of this node's slice; the item carries the slice after it) or a loss. If
    /// this node's own settle of the bid is at the store right now, the item waits for that settle to
    /// end: it comes back AlreadySettled (the usual case: then the item ends the reservation) or
    /// counted here (then the item is stale). Dropping it instead left the reservation outstanding
    /// until it expired (seen on Garnet, whose script round trips of 5-20 ms made the race likely).
    /// </summary>
    public void ApplyInbox(in InboxItem item)
    {
        lock (_lock)
        {
            if (item.Version > 0)
            {
                ApplySlices(item.Slice, item.DaySlice, item.Version, item.SliceDay);
            }

            ref var record = ref _records.Find(item.BidId);
            if (Unsafe.IsNullRef(ref record))
            {
                return;
            }

            if (record.State == ReservationState.Settling)
            {
                _heldInbox ??= [];
                // A bill outranks a loss for the same bid: it is the one the store counted.
                if (item.IsBill || !_heldInbox.ContainsKey(item.BidId))
                {
                    _heldInbox[item.BidId] = item;
                }

                return;
            }

            End(ref record, item);
        }
    }

    /// <summary>
    /// Frees reservations made at or before <paramref name="expireBefore"/> (their money stays in the
    /// slice for the next bids; a late bill for them is late spend) and forgets records made at or
    /// before <paramref name="forgetBefore"/>.
    /// </summary>
    public (int Expired, int Forgotten) Expire(long expireBefore, long forgetBefore, long nowUtcTicks)
    {
        var expired = 0;
        var forgotten = 0;
        while (true)
        {
            // In slices of BudgetAccount.SweepSlice stamps, the lock taken per slice, as the in-process
            // ledger does: one hold for a whole sweep kept bids on the campaign waiting for milliseconds.
            lock (_lock)
            {
                RollDay(nowUtcTicks);
                var slice = BudgetAccount.SweepSlice;
                while (slice > 0 && _young.TryPeek(out var stamp) && stamp.UtcTicks <= expireBefore)
                {
                    slice--;
                    _young.Dequeue();
                    ref var record = ref _records.Find(stamp.Id);
                    if (!Unsafe.IsNullRef(ref record) && record.State == ReservationState.Outstanding)
                    {
                        Free(record.AmountNanos, record.Day == _day);
                        record.State = ReservationState.Expired;
                        expired++;
                    }

                    _old.Enqueue(stamp);
                }

                while (slice > 0 && _old.TryPeek(out var stamp) && stamp.UtcTicks <= forgetBefore)
                {
                    slice--;
                    _old.Dequeue();
                    // A bill still at the store keeps its record until it comes back.
                    ref var record = ref _records.Find(stamp.Id);
                    if (Unsafe.IsNullRef(ref record) || record.State != ReservationState.Settling)
                    {
                        _records.Remove(stamp.Id);
                        forgotten++;
                    }
                }

                if (slice > 0)
                {
                    return (expired, forgotten);
                }
            }
        }
    }

    public BudgetBalance Read(long nowUtcTicks)
    {
        lock (_lock)
        {
            RollDay(nowUtcTicks);
            var daySpent = _viewDay == _day ? _daySpent : 0;
            return new BudgetBalance(_limits.TotalNanos, _limits.DailyNanos, _fleetSpent, _reserved, daySpent, _reservedToday, _lateSpent, _outstanding);
        }
    }

    /// <summary>
    /// Whether a bid may still find money: room in this node's live slice, or money in the pool the
    /// loop can lease (as of the last reply). Reads without the lock (aligned 64-bit reads, possibly a
    /// moment apart), except when a new day may have begun.
    /// </summary>
    public bool HasBudgetLeft(long nowUtcTicks, long nowTimestamp)
    {
        if (nowUtcTicks >= Volatile.Read(ref _dayEndsUtcTicks))
        {
            lock (_lock)
            {
                RollDay(nowUtcTicks);
            }
        }

        var limits = Volatile.Read(ref _limits);
        var leaseValid = nowTimestamp < Volatile.Read(ref _leaseValidUntil);
        if (limits.TotalNanos is { } total
            && !(leaseValid && Volatile.Read(ref _slice) - Volatile.Read(ref _reserved) > 0)
            && total - Volatile.Read(ref _fleetSpent) - Volatile.Read(ref _fleetLeased) <= 0)
        {
            return false;
        }

        return limits.DailyNanos is not { } daily
            || (leaseValid && Volatile.Read(ref _sliceDay) == Volatile.Read(ref _day) && Volatile.Read(ref _daySlice) - Volatile.Read(ref _reservedToday) > 0)
            || Volatile.Read(ref _viewDay) != Volatile.Read(ref _day)
            || daily - Volatile.Read(ref _daySpent) - Volatile.Read(ref _dayLeased) > 0;
    }

    /// <summary>An inbox item's effect on a record that is not settling here (under the lock).</summary>
    private void End(ref Reservation record, in InboxItem item)
    {
        if (item.IsBill)
        {
            if (record.State == ReservationState.Outstanding)
            {
                Free(record.AmountNanos, record.Day == _day);
            }
            else if (record.State == ReservationState.Expired)
            {
                _lateSpent += item.ClearingNanos;
            }

            if (record.State is ReservationState.Outstanding or ReservationState.Expired)
            {
                record.State = ReservationState.Settled;
            }
        }
        else if (record.State == ReservationState.Outstanding)
        {
            Free(record.AmountNanos, record.Day == _day);
            record.State = ReservationState.Released;
        }
    }

    private void Free(long amount, bool today)
    {
        _reserved -= amount;
        if (today)
        {
            _reservedToday -= amount;
        }

        _outstanding--;
    }

    /// <summary>Takes the store's absolute slices if they are newer than what this node has; a day slice of another day is not today's.</summary>
    private void ApplySlices(long slice, long daySlice, long version, int sliceDay)
    {
        if (version <= _version)
        {
            return;
        }

        _version = version;
        if (slice >= 0)
        {
            _slice = slice;
        }

        if (daySlice >= 0 && sliceDay == _day)
        {
            _daySlice = daySlice;
            _sliceDay = sliceDay;
        }
    }

    /// <summary>At local midnight today's reservations and day slice start at zero; yesterday's reservations keep holding the total.</summary>
    private void RollDay(long nowUtcTicks)
    {
        if (nowUtcTicks < _dayEndsUtcTicks)
        {
            return;
        }

        var day = LocalDay.Containing(new DateTimeOffset(nowUtcTicks, TimeSpan.Zero), _limits.TimeZone);
        if (day.DayNumber != _day)
        {
            _day = day.DayNumber;
            _reservedToday = 0;
            _daySlice = 0;
        }

        _dayEndsUtcTicks = day.EndUtc.UtcTicks;
    }
}
