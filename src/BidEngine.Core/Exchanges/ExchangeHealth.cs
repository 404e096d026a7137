using BidEngine.Core.Time;

namespace BidEngine.Core.Exchanges;

/// <summary>
/// One exchange's health as the exchange sees it, and its kill switch. Answers are counted in
/// one-second buckets over a sliding window; when the share of late and error answers crosses the
/// profile's <see cref="ExchangeHealthOptions.TripShare"/> (with at least
/// <see cref="ExchangeHealthOptions.MinAnswers"/> in the window), the switch trips: the exchange's
/// requests are shed with a cheap no-bid, which the exchange takes as a valid, prompt answer, so the
/// bidder stops digging the hole deeper. After the cool-down it probes with a share of the traffic and
/// closes again once a probe period passes under the threshold; a bad probe trips it again.
/// An operator can switch an exchange off and on by hand (<see cref="Disable"/>, <see cref="Enable"/>).
/// The hot path (<see cref="Admit"/>, <see cref="Record"/>) is a few interlocked operations and
/// allocates nothing; state changes take a lock, at most a few times a second.
/// </summary>
public sealed class ExchangeHealth
{
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;

    // Re-reading the window on every request would cost a sum over its buckets each time; a
    // tenth of a second is far finer than the window and than any exchange's reaction.
    private const long EvaluateEveryTicks = TimeSpan.TicksPerMillisecond * 100;

    private readonly IClock _clock;
    private readonly ExchangeHealthOptions _options;
    private readonly Bucket[] _buckets;
    private readonly object _gate = new();
    private readonly long[] _totals = new long[4];
    private volatile ExchangeHealthState _state = ExchangeHealthState.Serving;
    private long _stateUntil;
    private long _nextEvaluation;
    private long _probeCounter;
    private long _trips;

    public ExchangeHealth(string name, ExchangeHealthOptions options, IClock clock)
    {
        Name = name;
        _options = options;
        _clock = clock;
        _buckets = new Bucket[options.WindowSeconds];
        for (var i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] = new Bucket();
        }
    }

    /// <summary>The exchange's name, as in its profile and its metric label.</summary>
    public string Name { get; }

    public ExchangeHealthState State => _state;

    /// <summary>Times the switch tripped on its own since start.</summary>
    public long Trips => Interlocked.Read(ref _trips);

    /// <summary>Answers of each kind since start (index by <see cref="ExchangeAnswer"/>).</summary>
    public long Total(ExchangeAnswer answer) => Interlocked.Read(ref _totals[(int)answer]);

    /// <summary>Raised after the switch changes state, with the old state and the window's share at that moment (for the log).</summary>
    public event Action<ExchangeHealth, ExchangeHealthState, double>? StateChanged;

    /// <summary>Whether to serve a request from this exchange now; false: answer it with a cheap no-bid.</summary>
    public bool Admit()
    {
        if (_state == ExchangeHealthState.Disabled)
        {
            return false;
        }

        MaybeEvaluate();
        switch (_state)
        {
            case ExchangeHealthState.Serving:
                return true;
            case ExchangeHealthState.Probing:
                // Every n-th request while probing: deterministic, so a test and an operator can reason about it.
                var every = Math.Max(1, (long)Math.Round(1 / _options.ProbeShare));
                return Interlocked.Increment(ref _probeCounter) % every == 0;
            default:
                return false;
        }
    }

    /// <summary>Counts one answer the exchange received (shed answers count as no-bids: they are on time).</summary>
    public void Record(ExchangeAnswer answer)
    {
        Interlocked.Increment(ref _totals[(int)answer]);
        var now = _clock.Timestamp;
        var bucket = Current(now);
        Interlocked.Increment(ref bucket.Answers);
        if (answer is ExchangeAnswer.Late or ExchangeAnswer.Error)
        {
            Interlocked.Increment(ref bucket.Bad);
        }
    }

    /// <summary>The window's answer count and late-or-error share right now.</summary>
    public (long Answers, double BadShare) Window()
    {
        var second = _clock.Timestamp / TicksPerSecond;
        long answers = 0, bad = 0;
        foreach (var bucket in _buckets)
        {
            // Only buckets of the last WindowSeconds seconds count; older ones wait to be reused.
            var age = second - Volatile.Read(ref bucket.Second);
            if (age >= 0 && age < _buckets.Length)
            {
                answers += Volatile.Read(ref bucket.Answers);
                bad += Volatile.Read(ref bucket.Bad);
            }
        }

        return (answers, answers == 0 ? 0 : (double)bad / answers);
    }

    /// <summary>Switches the exchange off by hand: every request is shed until <see cref="Enable"/>.</summary>
    public void Disable() => Move(ExchangeHealthState.Disabled, 0);

    /// <summary>Switches the exchange back on by hand, with a fresh window.</summary>
    public void Enable()
    {
        lock (_gate)
        {
            if (_state == ExchangeHealthState.Disabled)
            {
                ClearWindow();
                Move(ExchangeHealthState.Serving, 0);
            }
        }
    }

    private void MaybeEvaluate()
    {
        var now = _clock.Timestamp;
        var next = Interlocked.Read(ref _nextEvaluation);
        if (now < next || Interlocked.CompareExchange(ref _nextEvaluation, now + EvaluateEveryTicks, next) != next)
        {
            return;
        }

        lock (_gate)
        {
            Evaluate(now);
        }
    }

    private void Evaluate(long now)
    {
        var (answers, share) = Window();
        var over = answers >= _options.MinAnswers && share >= _options.TripShare;
        switch (_state)
        {
            case ExchangeHealthState.Serving when over:
                Interlocked.Increment(ref _trips);
                Move(ExchangeHealthState.Tripped, now + (_options.CoolDownSeconds * TicksPerSecond), share);
                break;
            case ExchangeHealthState.Tripped when now >= Interlocked.Read(ref _stateUntil):
                // The window still holds the answers that tripped it: probing starts from a clean one.
                ClearWindow();
                Move(ExchangeHealthState.Probing, now + (_options.ProbeSeconds * TicksPerSecond), share);
                break;
            case ExchangeHealthState.Probing:
                // Probes are a share of the traffic: the minimum count shrinks with it.
                var probeOver = answers >= Math.Max(1, (long)(_options.MinAnswers * _options.ProbeShare)) && share >= _options.TripShare;
                if (probeOver)
                {
                    Interlocked.Increment(ref _trips);
                    Move(ExchangeHealthState.Tripped, now + (_options.CoolDownSeconds * TicksPerSecond), share);
                }
                else if (now >= Interlocked.Read(ref _stateUntil))
                {
                    Move(ExchangeHealthState.Serving, 0, share);
                }

                break;
        }
    }

    private void Move(ExchangeHealthState next, long until, double share = 0)
    {
        ExchangeHealthState previous;
        lock (_gate)
        {
            previous = _state;
            if (previous == next)
            {
                return;
            }

            Interlocked.Exchange(ref _stateUntil, until);
            _state = next;
        }

        StateChanged?.Invoke(this, previous, share);
    }

    private void ClearWindow()
    {
        foreach (var bucket in _buckets)
        {
            Volatile.Write(ref bucket.Answers, 0);
            Volatile.Write(ref bucket.Bad, 0);
        }
    }

    private Bucket Current(long now)
    {
        var second = now / TicksPerSecond;
        var bucket = _buckets[(int)(second % _buckets.Length)];
        if (Volatile.Read(ref bucket.Second) != second)
        {
            lock (bucket)
            {
                // Reused once a window: the first answer of a new second clears what the old one held.
                if (bucket.Second != second)
                {
                    Volatile.Write(ref bucket.Answers, 0);
                    Volatile.Write(ref bucket.Bad, 0);
                    Volatile.Write(ref bucket.Second, second);
                }
            }
        }

        return bucket;
    }

    private sealed class Bucket
    {
        public long Second = -1;
        public long Answers;
        public long Bad;
    }
}
