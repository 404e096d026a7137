using BidEngine.Core.Campaigns;
using BidEngine.Core.Time;

namespace BidEngine.Core.Pacing;

/// <summary>
/// Even pacing for one campaign: a feedback controller on the bid rate. The request path asks
/// <see cref="Participate"/> (may this campaign bid on this request?); every minute or so a
/// background loop calls <see cref="Update"/> with today's billed spend, and the controller sets the
/// participation probability so that spend follows what is left of the day's budget over what is
/// left of the day in the campaign's time zone:
/// <code>
/// target rate  = (daily budget − spent today) / seconds left today
/// demand       ≈ spend rate in the last interval / probability used in it   (smoothed)
/// probability  = clamp(target / demand, MinProbability, 1)
/// </code>
/// Aiming at the remainder over the remaining time makes it self-correcting: behind, the target
/// rises; ahead, it falls. A campaign that cannot spend its budget (demand at probability 1 below
/// the target) gets 1 and is never throttled. <see cref="PacingMode.Asap"/> always participates.
/// </summary>
public sealed class Pacer
{
    private const double OneInFixed = 4294967296.0; // 2^32: the probability in 32.32 fixed point
    private static readonly PacingOptions Defaults = new();
    private readonly TimeZoneInfo _zone;
    private readonly PacingOptions _options;
    private ulong _credit;
    private long _step = 1L << 32;
    private double _probability = 1;
    private double _demandPerSecond = double.NaN;
    private long _lastSpent;
    private DateTimeOffset _lastAt;
    private int _day = -1;

    public Pacer(PacingMode mode, TimeZoneInfo zone, PacingOptions? options = null)
    {
        Mode = mode;
        _zone = zone;
        _options = options ?? Defaults;
    }

    public PacingMode Mode { get; }

    /// <summary>The share of its eligible requests the campaign bids on now.</summary>
    public double Probability => Volatile.Read(ref _probability);

    /// <summary>The smoothed spend per second the campaign would have at probability 1 (nanos); NaN before any.</summary>
    public double DemandPerSecond => _demandPerSecond;

    /// <summary>
    /// Whether the campaign bids on this request. Deterministic: a shared credit grows by the
    /// probability at each call and the call that carries it past a whole number participates, so
    /// n calls at probability p participate floor(n·p) or one more times, on any threads, spread
    /// evenly rather than in runs. One atomic add; allocates nothing.
    /// </summary>
    public bool Participate()
    {
        if (Mode == PacingMode.Asap)
        {
            return true;
        }

        var step = (ulong)Volatile.Read(ref _step);
        var after = Interlocked.Add(ref _credit, step);
        return (after >> 32) != ((after - step) >> 32);
    }

    /// <summary>
    /// The controller's step. Call from one thread at a steady interval (a minute is plenty) with
    /// what the ledger says was billed today and the daily budget, both in nanos.
    /// </summary>
    public void Update(DateTimeOffset now, long spentTodayNanos, long dailyBudgetNanos)
    {
        if (Mode == PacingMode.Asap)
        {
            return;
        }

        var day = LocalDay.Containing(now, _zone);
        if (day.DayNumber != _day)
        {
            // A new day: measure from here. The demand estimate carries over (yesterday's traffic
            // at this hour is a fair guess), and so does the probability until the first interval.
            _day = day.DayNumber;
            _lastSpent = spentTodayNanos;
            _lastAt = now;
            return;
        }

        var seconds = (now - _lastAt).TotalSeconds;
        if (seconds <= 0)
        {
            return;
        }

        var remaining = Math.Max(0, dailyBudgetNanos - spentTodayNanos);
        double probability;
        if (remaining == 0)
        {
            // Spent out: the ledger refuses every bid, so this interval says nothing about demand.
            probability = _options.MinProbability;
        }
        else
        {
            var spentRate = Math.Max(0, spentTodayNanos - _lastSpent) / seconds;
            var observed = spentRate / _probability;
            _demandPerSecond = double.IsNaN(_demandPerSecond) ? observed : (_options.Smoothing * observed) + ((1 - _options.Smoothing) * _demandPerSecond);
            var target = remaining / Math.Max(1, (day.EndUtc - now).TotalSeconds);
            probability = _demandPerSecond > 0
                ? Math.Clamp(target / _demandPerSecond, _options.MinProbability, 1)
                : Math.Min(1, _probability * 2); // nothing spent: open up until something is
        }

        _lastSpent = spentTodayNanos;
        _lastAt = now;
        Volatile.Write(ref _probability, probability);
        Volatile.Write(ref _step, (long)Math.Round(probability * OneInFixed));
    }
}
