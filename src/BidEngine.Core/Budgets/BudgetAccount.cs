using System.Runtime.CompilerServices;
using MessagePack;
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
    /// <summary>Stamps a sweep handles per hold of the lock, so that bids wait at most that long behind it.</summary>
    internal const int SweepSlice = 1024;

    private readonly ReservationRecords _records = new();
    // Made with the first stamp: 100,000 campaigns that never reserve hold 128 B less each.
    private StampQueue? _young;
    private StampQueue? _old;
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

    public ReserveOutcome Reserve(long id, long amount, long nowUtcTicks)
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

            return Hold(id, amount, nowUtcTicks) ? ReserveOutcome.Reserved : ReserveOutcome.DuplicateReservation;
        }
    }

    /// <summary>
    /// A reservation replayed from the journal: held whatever the budget says (the bid was made), on
    /// the day of its own time. False when the id is held already.
    /// </summary>
    public bool Restore(long id, long amount, long utcTicks)
    {
        lock (_lock)
        {
            RollDay(utcTicks);
            return Hold(id, amount, utcTicks);
        }
    }

    public SettleOutcome Settle(long id, long clearing, long nowUtcTicks)
    {
        lock (_lock)
        {
            RollDay(nowUtcTicks);
            ref var record = ref _records.Find(id);
            if (Unsafe.IsNullRef(ref record))
            {
                // Not held here (lost with a crash's last unflushed second, or another node's), but
                // the caller verified the bid's token: the exchange billed it. Spend, and late spend
                // since nothing held it; remembered like any settled record, so it counts once.
                _records.TryAdd(id, new Reservation { AmountNanos = clearing, Day = _day, State = ReservationState.Settled });
                (_young ??= new()).Enqueue(new ReservationStamp(id, nowUtcTicks));
                _spent += clearing;
                _spentToday += clearing;
                _lateSpent += clearing;
                return SettleOutcome.SettledWithoutReservation;
            }

            switch (record.State)
            {
                case ReservationState.Settled:
                    return SettleOutcome.AlreadySettled;
                case ReservationState.Released:
                    return SettleOutcome.AlreadyReleased;
            }

            // The notice's price was checked against the bid's signed price in the bid's currency, so
            // a clearing above the reservation is only the two conversions' rates differing (a rate
            // table reloaded between bid and bill, or another node's): spend what was reserved.
            clearing = Math.Min(clearing, record.AmountNanos);

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
    /// Frees reservations made at or before <paramref name="expireBefore"/>; forgets records made at or
    /// before <paramref name="forgetBefore"/>. In slices of <see cref="SweepSlice"/> stamps, taking the
    /// lock for each: at 35,000 bids a second a 5-second sweep moves 175,000 stamps and forgets as many,
    /// which in one hold kept every bid on the campaign waiting for milliseconds.
    /// </summary>
    public (int Expired, int Forgotten) Expire(long expireBefore, long forgetBefore, long nowUtcTicks)
    {
        var expired = 0;
        var forgotten = 0;
        while (true)
        {
            lock (_lock)
            {
                RollDay(nowUtcTicks);
                var slice = SweepSlice;
                while (slice > 0 && _young is not null && _young.TryPeek(out var stamp) && stamp.UtcTicks <= expireBefore)
                {
                    slice--;
                    _young.Dequeue();
                    ref var record = ref _records.Find(stamp.Id);
                    if (record.State == ReservationState.Outstanding)
                    {
                        Free(record.AmountNanos, record.Day == _day);
                        record.State = ReservationState.Expired;
                        expired++;
                    }

                    (_old ??= new()).Enqueue(stamp);
                }

                while (slice > 0 && _old is not null && _old.TryPeek(out var stamp) && stamp.UtcTicks <= forgetBefore)
                {
                    slice--;
                    _old.Dequeue();
                    _records.Remove(stamp.Id);
                    forgotten++;
                }

                if (slice > 0)
                {
                    return (expired, forgotten);
                }
            }
        }
    }

    /// <summary>
    /// Whether there is budget left, read without the lock (each counter is one aligned 64-bit read;
    /// they may be from a moment apart, which a filter in front of <see cref="Reserve"/> can live with).
    /// Takes the lock only when a new day may have begun, so that yesterday's spend never hides
    /// today's budget. The candidate filter asks this for every campaign it looks at: taking the lock
    /// there made bids wait behind each other (and behind a preempted holder) for milliseconds.
    /// </summary>
    public bool HasBudgetLeft(long nowUtcTicks)
    {
        var balance = nowUtcTicks >= Volatile.Read(ref _dayEndsUtcTicks) ? Read(nowUtcTicks) : ReadUnlocked();
        return balance.RemainingNanos != 0 && balance.RemainingTodayNanos != 0;
    }

    public BudgetBalance Read(long nowUtcTicks)
    {
        lock (_lock)
        {
            RollDay(nowUtcTicks);
            return new BudgetBalance(_limits.TotalNanos, _limits.DailyNanos, _spent, _reserved, _spentToday, _reservedToday, _lateSpent, _outstanding);
        }
    }

    private BudgetBalance ReadUnlocked()
    {
        var limits = Volatile.Read(ref _limits);
        return new BudgetBalance(
            limits.TotalNanos,
            limits.DailyNanos,
            Volatile.Read(ref _spent),
            Volatile.Read(ref _reserved),
            Volatile.Read(ref _spentToday),
            Volatile.Read(ref _reservedToday),
            Volatile.Read(ref _lateSpent),
            Volatile.Read(ref _outstanding));
    }

    /// <summary>Holds <paramref name="amount"/> under a new record made at <paramref name="utcTicks"/>; false when the id is held already. Under the lock.</summary>
    private bool Hold(long id, long amount, long utcTicks)
    {
        if (!_records.TryAdd(id, new Reservation { AmountNanos = amount, Day = _day, State = ReservationState.Outstanding }))
        {
            return false;
        }

        (_young ??= new()).Enqueue(new ReservationStamp(id, utcTicks));
        _reserved += amount;
        _reservedToday += amount;
        _outstanding++;
        return true;
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

    /// <summary>The account as a snapshot array: counters, then every record with its stamp, young then old.</summary>
    public void WriteSnapshot(ref MessagePackWriter writer, string campaignId)
    {
        var young = new List<ReservationStamp>();
        var old = new List<ReservationStamp>();
        lock (_lock)
        {
            _young?.CopyTo(young);
            _old?.CopyTo(old);
            writer.WriteArrayHeader(10);
            writer.Write(campaignId);
            writer.Write(_spent);
            writer.Write(_spentToday);
            writer.Write(_lateSpent);
            writer.Write(_day);
            writer.Write(_dayEndsUtcTicks);
            WriteStamps(ref writer, young);
            WriteStamps(ref writer, old);
            writer.Write(_reserved);
            writer.Write(_reservedToday);
        }
    }

    /// <summary>Replaces this account's money with a snapshot's (read after <see cref="WriteSnapshot"/>'s campaign id).</summary>
    public int ReadSnapshot(ref MessagePackReader reader)
    {
        lock (_lock)
        {
            _spent = reader.ReadInt64();
            _spentToday = reader.ReadInt64();
            _lateSpent = reader.ReadInt64();
            _day = reader.ReadInt32();
            _dayEndsUtcTicks = reader.ReadInt64();
            var held = ReadStamps(ref reader, ref _young) + ReadStamps(ref reader, ref _old);
            _reserved = reader.ReadInt64();
            _reservedToday = reader.ReadInt64();
            return held;
        }
    }

    private void WriteStamps(ref MessagePackWriter writer, List<ReservationStamp> stamps)
    {
        writer.WriteArrayHeader(stamps.Count * 5);
        foreach (var stamp in stamps)
        {
            ref var record = ref _records.Find(stamp.Id);
            writer.Write(stamp.Id);
            writer.Write(stamp.UtcTicks);
            writer.Write(record.AmountNanos);
            writer.Write(record.Day);
            writer.Write((byte)record.State);
        }
    }

    private int ReadStamps(ref MessagePackReader reader, ref StampQueue? queue)
    {
        var count = reader.ReadArrayHeader() / 5;
        var held = 0;
        for (var i = 0; i < count; i++)
        {
            var id = reader.ReadInt64();
            var ticks = reader.ReadInt64();
            var record = new Reservation { AmountNanos = reader.ReadInt64(), Day = reader.ReadInt32(), State = (ReservationState)reader.ReadByte() };
            if (_records.TryAdd(id, record))
            {
                _outstanding += record.State == ReservationState.Outstanding ? 1 : 0;
                (queue ??= new()).Enqueue(new ReservationStamp(id, ticks));
                held++;
            }
        }

        return held;
    }
}
