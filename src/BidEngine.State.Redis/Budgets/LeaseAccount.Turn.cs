using BidEngine.Core.Budgets;

namespace BidEngine.State.Redis.Budgets;

/// <summary>The loop's side of an account: what to ask the store for each turn, and taking its answer.</summary>
internal sealed partial class LeaseAccount
{
    /// <summary>
    /// The request for this turn, or null when nothing needs the store. The slice aims to cover the
    /// reservations of recent turns (smoothed) over <paramref name="horizon"/> (at least two of the largest bid
    /// once the campaign bids), capped at a fair share of what is left, (pool + own free) / (2 × nodes
    /// holding), but never below one bid; it is refilled when its free part drops below half of that
    /// aim, gives back what is over twice the aim, and gives back everything after <paramref name="idleAfter"/>
    /// without a reservation. A lease is renewed once a third of its usable life has passed.
    /// </summary>
    public LeaseRequest? PlanTurn(long nowUtcTicks, long nowTimestamp, TimeSpan horizon, TimeSpan idleAfter, long usableTicks)
    {
        lock (_lock)
        {
            RollDay(nowUtcTicks);
            var elapsed = Math.Max(1, nowTimestamp - _lastTurnTimestamp);
            var firstTurn = _lastTurnTimestamp == 0;
            _lastTurnTimestamp = nowTimestamp;
            // Smoothed (a fifth per turn), so that one quiet turn does not give the slice back and refill it the next.
            _rate = firstTurn ? 0 : (0.8 * _rate) + (0.2 * _reservedSinceTurn / elapsed);
            var rate = _rate;
            _reservedSinceTurn = 0;
            var starved = _starved;
            _starved = false;
            var limits = _limits;
            var idle = nowTimestamp - _lastReserveTimestamp > idleAfter.Ticks;
            // A pool that looked empty may have refilled (a node gave back, a lapsed lease is reaped only
            // when someone asks): a starved node asks again four times per usable lease life.
            var probe = starved && nowTimestamp - _lastAskTimestamp > usableTicks / 4;
            var wanted = (long)Math.Min(long.MaxValue / 4, rate * horizon.Ticks);
            if (starved || rate > 0)
            {
                wanted = Math.Max(wanted, 2 * _maxBid);
            }

            var wantTotal = 0L;
            if (limits.TotalNanos is { } total)
            {
                wantTotal = Want(_slice - _reserved, wanted, total - _fleetSpent - _fleetLeased, idle, probe);
            }
            else if (_slice > 0)
            {
                wantTotal = -_slice;
            }

            var wantDay = 0L;
            var dayChanged = _sliceDay != _day;
            if (limits.DailyNanos is { } daily)
            {
                var dayFree = dayChanged ? 0 : _daySlice - _reservedToday;
                var dayPool = _viewDay == _day ? daily - _daySpent - _dayLeased : daily;
                wantDay = Want(dayFree, wanted, dayPool, idle, probe);
            }
            else if (_daySlice > 0)
            {
                wantDay = -_daySlice;
            }

            var holding = _slice > 0 || _daySlice > 0 || _reserved > 0;
            var renewDue = holding && _leaseValidUntil - nowTimestamp < usableTicks * 2 / 3;
            var dayDue = dayChanged && limits.DailyNanos is not null && wantDay > 0;
            if (wantTotal == 0 && wantDay == 0 && !renewDue && !dayDue)
            {
                return null;
            }

            _lastAskTimestamp = nowTimestamp;
            return new LeaseRequest(wantTotal, wantDay, _day, limits.TotalNanos, limits.DailyNanos);
        }
    }

    /// <summary>What to give back at stop: the free part of each slice; the reservations' part stays leased for their late bills.</summary>
    public LeaseRequest PlanReturn()
    {
        lock (_lock)
        {
            var limits = _limits;
            return new LeaseRequest(
                -Math.Max(0, _slice - _reserved),
                -Math.Max(0, _sliceDay == _day ? _daySlice - _reservedToday : _daySlice),
                _day,
                limits.TotalNanos,
                limits.DailyNanos);
        }
    }

    /// <summary>The lease script's answer, for the request sent at <paramref name="sentTimestamp"/>: the lease may be spent until a usable life after that.</summary>
    public void ApplyLease(in LeaseView view, int day, long sentTimestamp, long usableTicks)
    {
        lock (_lock)
        {
            ApplySlices(view.Slice, view.DaySlice, view.Version, day);
            _leaseValidUntil = Math.Max(_leaseValidUntil, sentTimestamp + usableTicks);
            _fleetSpent = view.Spent;
            _fleetLeased = view.Leased;
            if (day == _day)
            {
                _daySpent = view.DaySpent;
                _dayLeased = view.DayLeased;
                _viewDay = day;
            }

            _nodes = Math.Max(1, view.Nodes);
        }
    }

    /// <summary>After stop: nothing here may be spent any more.</summary>
    public void EndLease()
    {
        lock (_lock)
        {
            _leaseValidUntil = 0;
        }
    }

    private long Want(long free, long wanted, long pool, bool idle, bool probe)
    {
        if (idle)
        {
            return free > 0 ? -free : 0;
        }

        var share = Math.Max(_maxBid, (Math.Max(0, pool) + Math.Max(0, free)) / (2L * _nodes));
        var aim = Math.Min(wanted, share);
        // Below half the aim, or below one bid: a free part smaller than the largest bid cannot hold it,
        // and was left stranded while the pool still had money (found over HTTP: 3.6 of 5 bids' worth).
        if (aim > 0 && free < Math.Max(aim / 2 + 1, _maxBid) && (pool > 0 || probe))
        {
            return aim - free;
        }

        return free > 2 * aim + _maxBid ? -(free - aim) : 0;
    }
}
