using System.Diagnostics;
using BidEngine.Core.Candidates;
using BidEngine.Core.Heuristics;
using BidEngine.Core.Pipeline;
using BidEngine.Core.Scoring;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Core.Deadlines;

/// <summary>
/// The one place that decides, from the deadline at risk, what a request gets: the model, the
/// heuristic, a no-bid after parsing, or a cheap no-bid before parsing (shed). It sets each
/// request's deadline from its arrival (less the thread pool's queueing delay) and tmax, and
/// gives the scorer the <see cref="ModelTimeLimit"/> it enforces. Degradation is per request:
/// the model while its observed cost × the safety factor + the write reserve fits the time left,
/// else the heuristic while the write reserve fits, else nothing. As queueing grows, a growing
/// share of requests crosses each line; a machine that is busy but answering in time loses nothing.
/// </summary>
public sealed class DeadlinePolicy
{
    private readonly DeadlineOptions _options;
    private readonly PriorCtrSource _priors;
    private readonly long _writeReserveTicks;
    private readonly long _asyncModelSlackTicks;

    public DeadlinePolicy(DeadlineOptions options, PriorCtrTable? priors = null)
        : this(options, new PriorCtrSource(priors ?? PriorCtrTable.Empty))
    {
    }

    /// <summary>A policy whose heuristic reads the table currently in <paramref name="priors"/>, which a refresher may swap.</summary>
    public DeadlinePolicy(DeadlineOptions options, PriorCtrSource priors)
    {
        _options = options;
        _priors = priors;
        _writeReserveTicks = options.WriteReserveMicros * Stopwatch.Frequency / 1_000_000;
        _asyncModelSlackTicks = options.AsyncModelSlackMs * Stopwatch.Frequency / 1000;
    }

    public DeadlineOptions Options => _options;

    /// <summary>
    /// When a request seen at <paramref name="seenTimestamp"/> came in: earlier by the pool's
    /// current queueing delay when <see cref="DeadlineOptions.CountQueueDelay"/> is on, since it
    /// waited that long before the endpoint ran.
    /// </summary>
    public long Arrival(long seenTimestamp, long queueDelayTicks) =>
        _options.CountQueueDelay ? seenTimestamp - Math.Max(0, queueDelayTicks) : seenTimestamp;

    /// <summary>
    /// Shed before parsing (true) when more than <see cref="DeadlineOptions.MaxInFlight"/> requests
    /// would be in flight, or when a request with the default window that arrived at
    /// <paramref name="arrivalTimestamp"/> could no longer get even the heuristic's answer written
    /// in time: the queue alone has used its budget. Nothing else sheds.
    /// </summary>
    public bool ShouldShed(long arrivalTimestamp, int inFlight) => ShouldShed(arrivalTimestamp, inFlight, Stopwatch.GetTimestamp());

    /// <summary><see cref="ShouldShed(long, int)"/> as of <paramref name="now"/>: tests give the clock.</summary>
    internal bool ShouldShed(long arrivalTimestamp, int inFlight, long now) =>
        inFlight > _options.MaxInFlight || !CanStillAnswer(For(arrivalTimestamp, 0), now);

    /// <summary>arrival + min(tmax or the default, the cap) − the network reserve.</summary>
    public RequestDeadline For(long arrivalTimestamp, int tmaxMs) =>
        For(arrivalTimestamp, tmaxMs, _options.DefaultTmaxMs, _options.MaxTmaxMs, _options.NetworkReserveMs);

    /// <summary>
    /// <see cref="For(long, int)"/> with an exchange's own default, cap and network reserve
    /// (its profile's, or the bidder's where the profile leaves them unset).
    /// </summary>
    public static RequestDeadline For(long arrivalTimestamp, int tmaxMs, int defaultTmaxMs, int maxTmaxMs, int networkReserveMs)
    {
        var window = tmaxMs > 0 ? tmaxMs : defaultTmaxMs;
        window = Math.Min(window, maxTmaxMs) - networkReserveMs;
        var budgetTicks = Math.Max(0, window) * Stopwatch.Frequency / 1000;
        return new RequestDeadline(arrivalTimestamp, arrivalTimestamp + budgetTicks);
    }

    /// <summary>
    /// The model's share of <paramref name="deadline"/>: a run must end a write reserve before it,
    /// with the safety factor on every estimate; an asynchronous wait ends the async slack earlier.
    /// The scorer, batcher, watchdog and pipeline enforce exactly these numbers.
    /// </summary>
    public ModelTimeLimit ModelLimit(RequestDeadline deadline)
    {
        if (deadline.IsUnbounded)
        {
            return ModelTimeLimit.None;
        }

        var end = deadline.DeadlineTimestamp - _writeReserveTicks;
        return new ModelTimeLimit(end, end - _asyncModelSlackTicks, _options.ModelCostSafetyFactor);
    }

    /// <summary>Model when its observed cost for <paramref name="rows"/> fits its limit, else heuristic when writing still fits, else none.</summary>
    public ScoringPath Choose(RequestDeadline deadline, ICtrScorer? scorer, int rows) => Choose(deadline, scorer, rows, Stopwatch.GetTimestamp());

    /// <summary><see cref="Choose(RequestDeadline, ICtrScorer?, int)"/> as of <paramref name="now"/>: tests give the clock.</summary>
    internal ScoringPath Choose(RequestDeadline deadline, ICtrScorer? scorer, int rows, long now)
    {
        if (scorer is not null && ModelLimit(deadline).Fits(now, scorer.EstimatedCostTicks(rows)))
        {
            return ScoringPath.Model;
        }

        return CanStillAnswer(deadline, now) ? ScoringPath.Heuristic : ScoringPath.None;
    }

    /// <summary>True while there is still time to price from priors and write the answer.</summary>
    public bool CanStillAnswer(RequestDeadline deadline) => CanStillAnswer(deadline, Stopwatch.GetTimestamp());

    private bool CanStillAnswer(RequestDeadline deadline, long now) => deadline.RemainingTicks(now) >= _writeReserveTicks;

    /// <summary>
    /// The heuristic's click probability for a candidate: the calibrated prior of its campaign ×
    /// placement bucket shipped with the model (refreshed from observed outcomes when notices are
    /// on), else the campaign's configured prior. One volatile read of the current table; 0 B.
    /// </summary>
    public double HeuristicCtr(BidRequest request, in Candidate candidate) =>
        _priors.Current.Lookup(candidate.Campaign, candidate.Creative, request, request.Imps[candidate.ImpIndex]);
}
