using System.Diagnostics;
using BidEngine.Core.Candidates;
using BidEngine.Core.Heuristics;
using BidEngine.Core.Pipeline;
using BidEngine.Core.Scoring;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Core.Deadlines;

/// <summary>
/// Where the deadline is decided: sets each request's absolute deadline from its tmax, and at
/// each stage says whether there is time for the model, only for the heuristic, or for nothing.
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

    /// <summary>arrival + min(tmax or the default, the cap) − the network reserve.</summary>
    public RequestDeadline For(long arrivalTimestamp, int tmaxMs)
    {
        var window = tmaxMs > 0 ? tmaxMs : _options.DefaultTmaxMs;
        window = Math.Min(window, _options.MaxTmaxMs) - _options.NetworkReserveMs;
        var budgetTicks = Math.Max(0, window) * Stopwatch.Frequency / 1000;
        return new RequestDeadline(arrivalTimestamp, arrivalTimestamp + budgetTicks);
    }

    /// <summary>Model when its estimated cost (with margin) fits, else heuristic when writing still fits, else none.</summary>
    public ScoringPath Choose(RequestDeadline deadline, ICtrScorer? scorer, int rows)
    {
        if (scorer is not null)
        {
            var modelTicks = (long)(scorer.EstimatedCostTicks(rows) * _options.ModelCostSafetyFactor);
            if (deadline.HasTimeFor(modelTicks + _writeReserveTicks))
            {
                return ScoringPath.Model;
            }
        }

        return CanStillAnswer(deadline) ? ScoringPath.Heuristic : ScoringPath.None;
    }

    /// <summary>How long to keep waiting for an asynchronous model call before only the heuristic can answer in time.</summary>
    public TimeSpan TimeLeftForModel(RequestDeadline deadline)
    {
        if (deadline.IsUnbounded)
        {
            return Timeout.InfiniteTimeSpan;
        }

        var ticks = deadline.RemainingTicks(Stopwatch.GetTimestamp()) - _writeReserveTicks - _asyncModelSlackTicks;
        return ticks <= 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(0, ticks);
    }

    /// <summary>True while there is still time to price from priors and write the answer.</summary>
    public bool CanStillAnswer(RequestDeadline deadline) => deadline.HasTimeFor(_writeReserveTicks);

    /// <summary>
    /// The heuristic's click probability for a candidate: the calibrated prior of its campaign ×
    /// placement bucket shipped with the model (refreshed from observed outcomes when notices are
    /// on), else the campaign's configured prior. One volatile read of the current table; 0 B.
    /// </summary>
    public double HeuristicCtr(BidRequest request, in Candidate candidate) =>
        _priors.Current.Lookup(candidate.Campaign, candidate.Creative, request, request.Imps[candidate.ImpIndex]);
}
