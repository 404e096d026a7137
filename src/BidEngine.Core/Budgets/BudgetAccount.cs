using BidEngine.Core.Time;

namespace BidEngine.Core.Budgets;

/// <summary>
/// One campaign's money in the in-process ledger. Every method takes the account's lock: the checks
/// against total and daily budget and the update of both must be one step, and contention is per
/// campaign, not global. Reservations enter <c>_young</c> in the order they are made, which is the
/// order they expire in, so a sweep only looks at the front; a record moves to <c>_old</c> at its
/// time to live and is forgotten at the end of the late-notice window.
/// </summary>
internal sealed class BudgetAccount
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, Reservation> _records = [];
    private readonly Queue<ReservationStamp> _young = new();
    private readonly Queue<ReservationStamp> _old = new();
    private BudgetLimits _limits;
    private long _spent;
    private long _reserved;
    private long _spentToday;
    private long _reservedToday;
    private long _lateSpent;
    private int _outstanding;
    private int _day;
    private long _dayEndsUtcTicks;

    public BudgetAccount(BudgetLimits limits)
    {
        _limits = limits;
    }

    public void SetLimits(BudgetLimits limits, DateTimeOffset now)
    {
        lock (_lock)
        {
            var zoneChanged = !ReferenceEquals(limits.TimeZone, _limits.TimeZone) && limits.TimeZone.Id != _limits.TimeZone.Id;
            _limits = limits;
            if (zoneChanged && _dayEndsUtcTicks != 0)
            {
                // Same local date in the new zone: today's counters stand; another date: a new day.
                var day = LocalDay.Containing(now, limits.TimeZone);
                if (day.DayNumber != _day)
                {
                    StartDay(day);
                }

                _dayEndsUtcTicks = day.EndUtc.UtcTicks;
            }
        }
    }

    public ReserveOutcome Reserve(long id, long amount, long nowUtcTicks, long timestamp)
    {
        lock (_lock)
        {
            RollDay(nowUtcTicks);
            if (_limits.TotalNanos is { } total && _spent + _reserved + amount > total)
            {
                return ReserveOutcome.TotalExhausted;
            }

            if (_limits.DailyNanos is { } daily && _spentToday + _reservedToday + amount > daily)
            {
                return ReserveOutcome.DailyExhausted;
            }

            if (!_records.TryAdd(id, new Reservation { AmountNanos = amount, Day = _day, State = ReservationState.Outstanding }))
            {
                return ReserveOutcome.DuplicateReservation;
            }

            _young.Enqueue(new ReservationStamp(id, timestamp));
            _reserved += amount;
            _reservedToday += amount;
            _outstanding++;
            return ReserveOutcome.Reserved;
        }
    }

    public SettleOutcome Settle(long id, long clearing, long nowUtcTicks)
    {
        lock (_lock)
        {
            RollDay(nowUtcTicks);
            ref var record = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_records, id);
            if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref record))
            {
                return SettleOutcome.UnknownReservation;
            }

            switch (record.State)
            {
                case ReservationState.Settled:
                    return SettleOutcome.AlreadySettled;
                case ReservationState.Released:
                    return SettleOutcome.AlreadyReleased;
            }

            if (clearing > record.AmountNanos)
            {
                return SettleOutcome.PriceAboveReservation;
            }

            var today = record.Day == _day;
            if (record.State == ReservationState.Outstanding)
            {
                Free(record.AmountNanos, today);
                _spent += clearing;
                if (today)
                {
                    _spentToday += clearing;
                }

                record.State = ReservationState.Settled;
                return SettleOutcome.Settled;
            }

            // Expired: its amount was freed already and may have been reserved again. The exchange
            // billed it, so it is spend; it is the late spend the overspend bound is made of.
            _spent += clearing;
            _lateSpent += clearing;
            if (today)
            {
                _spentToday += clearing;
            }

            record.State = ReservationState.Settled;
            return SettleOutcome.SettledAfterExpiry;
        }
    }

    public ReleaseOutcome Release(long id, long nowUtcTicks)
    {
        lock (_lock)
        {
            RollDay(nowUtcTicks);
            ref var record = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_records, id);
            if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref record))
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

    /// <summary>Frees reservations made at or before <paramref name="expireBefore"/>; forgets records made at or before <paramref name="forgetBefore"/>.</summary>
    public (int Expired, int Forgotten) Expire(long expireBefore, long forgetBefore, long nowUtcTicks)
    {
        lock (_lock)
        {
            RollDay(nowUtcTicks);
            var expired = 0;
            while (_young.TryPeek(out var stamp) && stamp.Timestamp <= expireBefore)
            {
                _young.Dequeue();
                ref var record = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_records, stamp.Id);
                if (record.State == ReservationState.Outstanding)
                {
                    Free(record.AmountNanos, record.Day == _day);
                    record.State = ReservationState.Expired;
                    expired++;
                }

                _old.Enqueue(stamp);
            }

            var forgotten = 0;
            while (_old.TryPeek(out var stamp) && stamp.Timestamp <= forgetBefore)
            {
                _old.Dequeue();
                _records.Remove(stamp.Id);
                forgotten++;
            }

            return (expired, forgotten);
        }
    }

    public BudgetBalance Read(long nowUtcTicks)
    {
        lock (_lock)
        {
            RollDay(nowUtcTicks);
            return new BudgetBalance(_limits.TotalNanos, _limits.DailyNanos, _spent, _reserved, _spentToday, _reservedToday, _lateSpent, _outstanding);
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

    /// <summary>
    /// At the first call after local midnight, today's counters start at zero. Reservations made
    /// yesterday keep holding the total; settled, they count toward yesterday, which is over.
    /// </summary>
    private void RollDay(long nowUtcTicks)
    {
        if (nowUtcTicks >= _dayEndsUtcTicks)
        {
            var day = LocalDay.Containing(new DateTimeOffset(nowUtcTicks, TimeSpan.Zero), _limits.TimeZone);
            if (day.DayNumber != _day)
            {
                StartDay(day);
            }

            _dayEndsUtcTicks = day.EndUtc.UtcTicks;
        }
    }

    private void StartDay(LocalDay day)
    {
        _day = day.DayNumber;
        _spentToday = 0;
        _reservedToday = 0;
    }
}
