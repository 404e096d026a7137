using System.Diagnostics;
using System.Runtime.CompilerServices;
using BidEngine.Core.Deadlines;

namespace BidEngine.Model.Scoring;

/// <summary>
/// Group commit across requests. A caller that finds the model idle runs its own rows at once on
/// its own thread (no copy, no timer). Callers that arrive while a run is in flight queue their
/// slot; when the run ends the first queued caller is woken as the next leader and runs everything
/// queued (up to the largest bucket) as one batch: features copied into a batch slot, one run,
/// probabilities copied back. The numbers are the policy's (<see cref="ModelTimeLimit"/>): a caller
/// queues only if the rest of the run in flight plus its batch, × the safety factor, ends before it
/// stops waiting (<see cref="ModelTimeLimit.FitsWait"/>), and a batch run is cut off at the
/// earliest <see cref="ModelTimeLimit.EndTimestamp"/> among its members.
/// </summary>
internal sealed class ScoreBatcher
{
    private const int Failed = 0;
    private const int Scored = 1;
    private const int Lead = 2;

    private readonly OnnxCtrScorer _scorer;
    private readonly Lock _lock = new();
    private bool _running;
    private ScoringSlot? _head;
    private ScoringSlot? _tail;
    private int _queuedRows;
    private long _runEndEstimate;
    private long _batchedRuns;
    private long _batchedRequests;

    public ScoreBatcher(OnnxCtrScorer scorer) => _scorer = scorer;

    public long BatchedRuns => Interlocked.Read(ref _batchedRuns);

    public long BatchedRequests => Interlocked.Read(ref _batchedRequests);

    /// <summary>True while a run is in flight (callers arriving now queue behind it).</summary>
    internal bool IsRunning
    {
        get
        {
            lock (_lock)
            {
                return _running;
            }
        }
    }

    public ValueTask<bool> ScoreAsync(ScoringSlot slot, ModelTimeLimit limit)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            if (_running)
            {
                // Waits for the run in flight, then rides the next batch: both must fit before the caller stops waiting.
                var wait = Math.Max(0, _runEndEstimate - now) + _scorer.EstimatedCostTicks(Math.Min(_queuedRows + slot.Count, _scorer.MaxRows));
                if (!limit.FitsWait(now, wait))
                {
                    _scorer.CountNotStarted();
                    return new(false);
                }

                slot.PrepareWait(limit);
                if (_tail is null)
                {
                    _head = slot;
                }
                else
                {
                    _tail.Next = slot;
                }

                _tail = slot;
                _queuedRows += slot.Count;
                return FollowAsync(slot);
            }

            _running = true;
            _runEndEstimate = now + _scorer.EstimatedCostTicks(slot.Count);
        }

        try
        {
            return new(_scorer.Run(slot, limit.EndTimestamp));
        }
        finally
        {
            HandOff();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> FollowAsync(ScoringSlot slot)
    {
        var code = await slot.WaitAsync().ConfigureAwait(false);
        return code == Lead ? LeadBatch(slot) : code == Scored;
    }

    /// <summary>Runs <paramref name="first"/> (already dequeued) with everything queued behind it that fits the largest bucket.</summary>
    private bool LeadBatch(ScoringSlot first)
    {
        var total = first.Count;
        var last = first;
        first.Next = null;
        lock (_lock)
        {
            while (_head is not null && total + _head.Count <= _scorer.MaxRows)
            {
                var s = Dequeue();
                last.Next = s;
                last = s;
                total += s.Count;
            }

            last.Next = null;
            _runEndEstimate = Stopwatch.GetTimestamp() + _scorer.EstimatedCostTicks(total);
        }

        if (first.Next is null)
        {
            try
            {
                return _scorer.Run(first, first.WaitLimit.EndTimestamp);
            }
            finally
            {
                HandOff();
            }
        }

        var ok = false;
        var handedOff = false;
        var batch = _scorer.RentSlot(total);
        try
        {
            var features = _scorer.FeatureCount;
            var at = 0;
            var earliest = long.MaxValue;
            for (var s = first; s is not null; s = s.Next)
            {
                s.Input[..(s.Count * features)].CopyTo(batch.Input[(at * features)..]);
                at += s.Count;
                earliest = Math.Min(earliest, s.WaitLimit.EndTimestamp);
            }

            ok = _scorer.Run(batch, earliest);
            if (ok)
            {
                at = 0;
                for (var s = first; s is not null; s = s.Next)
                {
                    batch.Output.Slice(at, s.Count).CopyTo(s.Output);
                    at += s.Count;
                }
            }

            // Wake the next leader before our followers: the queue matters more than our callers' continuations.
            HandOff();
            handedOff = true;
            Interlocked.Increment(ref _batchedRuns);
        }
        finally
        {
            OnnxCtrScorer.ReturnSlot(batch);
            if (!handedOff)
            {
                HandOff();
            }

            var requests = 0;
            for (var s = first.Next; s is not null;)
            {
                // Read Next before signalling: once signalled, the slot belongs to its caller again.
                var next = s.Next;
                s.Signal(ok ? Scored : Failed);
                s = next;
                requests++;
            }

            Interlocked.Add(ref _batchedRequests, requests + 1);
        }

        return ok;
    }

    /// <summary>Ends a run: passes leadership to the first queued caller, or marks the model idle.</summary>
    private void HandOff()
    {
        ScoringSlot next;
        lock (_lock)
        {
            if (_head is null)
            {
                _running = false;
                return;
            }

            next = Dequeue();
        }

        next.Signal(Lead);
    }

    private ScoringSlot Dequeue()
    {
        var s = _head!;
        _head = s.Next;
        if (_head is null)
        {
            _tail = null;
        }

        s.Next = null;
        _queuedRows -= s.Count;
        return s;
    }
}
