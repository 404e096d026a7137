using System.Collections.Concurrent;
using System.Globalization;
using BidEngine.Core.Notices;
using StackExchange.Redis;

namespace BidEngine.State.Redis.Notices;

/// <summary>
/// One replay window for the whole fleet: each bid's marks are an integer key in the store, checked and
/// marked by one script (one round trip per notice), so of many senders of one notice to any nodes
/// exactly one is <see cref="ReplayMark.Added"/>. Kept until the tokens expire (EXPIREAT, store clock
/// against the token's expiry: a store clock ahead by s drops entries s early, when their tokens have
/// s left). Out of reach or slower than the operation timeout: <see cref="ReplayMark.Unavailable"/>,
/// nothing marked as far as this node knows.
/// <para>
/// A lost reply (the store marked, the answer never came): every call carries an attempt token that the
/// store keeps beside the marks, and this node remembers the tokens of its unanswered calls. A retry of
/// that notice here finds its own mark and is <see cref="ReplayMark.Added"/> (claimed); the loop takes
/// back the marks of unanswered calls nobody claimed, so a retry at any node is Added after that.
/// Left: a retry that reaches another node before the take-back (one loop turn once the store answers)
/// is Replayed, and only the last marking of a bid is recognised (a lost Billed, then another node's
/// Click, then the Billed retry: Replayed). <see cref="LostAttemptsLimit"/> bounds what is remembered.
/// An <see cref="Unmark"/> that cannot reach the store is retried by the loop.
/// </para>
/// </summary>
public sealed class SharedReplayWindow : IReplayWindow
{
    /// <summary>Unanswered calls remembered at once: ~100 B each, so 1 MB at most; past it a lost reply is the old gap.</summary>
    internal const int LostAttemptsLimit = 10_000;

    /// <summary>Take-backs per loop turn (one round trip each, ~25 ms at 0.1 ms): an outage's worth (the limit) within 40 turns.</summary>
    private const int TakeBackBatch = 256;

    private const int SequenceBits = 22;

    private readonly StoreLink _link;
    private readonly StoreKeys _keys;
    private readonly long _tokenBase;
    private readonly ConcurrentQueue<(long BidId, NoticeMarks Mark)> _pendingUnmarks = new();
    // Per bid and mark: this node's unanswered attempts, "t1,t2" (one string: compared whole on removal).
    private readonly ConcurrentDictionary<(long BidId, int Mark), string> _lost = new();
    private long _sequence;
    private int _lostCount;
    private long _claimed;
    private long _takenBack;

    internal SharedReplayWindow(StoreLink link, StoreKeys keys, int epoch)
    {
        _link = link;
        _keys = keys;
        _tokenBase = (long)epoch << SequenceBits;
    }

    /// <summary>As many as the store holds.</summary>
    public int Capacity => int.MaxValue;

    /// <summary>Never full: the store's memory is the limit (its maxmemory policy must be noeviction).</summary>
    public long FullCount => 0;

    /// <summary>Unmarks waiting for the store.</summary>
    public int PendingUnmarks => _pendingUnmarks.Count;

    /// <summary>Bids with unanswered mark calls whose mark the loop has yet to take back.</summary>
    public int PendingTakeBacks => Volatile.Read(ref _lostCount);

    /// <summary>Retries answered Added because the store had run this node's earlier, unanswered call.</summary>
    public long ClaimedRetries => Interlocked.Read(ref _claimed);

    /// <summary>Marks of unanswered calls the loop took back.</summary>
    public long TakenBack => Interlocked.Read(ref _takenBack);

    public ReplayMark TryMark(long bidId, NoticeMarks mark, NoticeMarks requires, NoticeMarks conflicts, long expiresAt, long now, out NoticeMarks before)
    {
        before = NoticeMarks.None;
        var attempt = (bidId, (int)mark);
        var token = NextToken();
        _lost.TryGetValue(attempt, out var lost);
        var result = _link.Eval(
            ReplayScripts.TryMark,
            [_keys.Replay(bidId)],
            [(int)mark, (int)requires, (int)conflicts, expiresAt, now, token, lost ?? string.Empty],
            out var mayHaveRun);
        if (result is null)
        {
            if (mayHaveRun)
            {
                RememberLost(attempt, token);
            }

            return ReplayMark.Unavailable;
        }

        // Answered: the earlier attempts either were claimed now or left no mark of theirs behind.
        if (lost is not null)
        {
            Forget(attempt, lost);
        }

        var r = (RedisResult[])result!;
        before = (NoticeMarks)(byte)(long)r[1];
        switch ((long)r[0])
        {
            case 0:
                return ReplayMark.Added;
            case 1:
                return ReplayMark.Replayed;
            case 2:
                return ReplayMark.MissingRequired;
            case 3:
                return ReplayMark.Conflicting;
            default:
                Interlocked.Increment(ref _claimed);
                return ReplayMark.Added;
        }
    }

    public void Unmark(long bidId, NoticeMarks mark)
    {
        if (!TryUnmark(bidId, mark))
        {
            _pendingUnmarks.Enqueue((bidId, mark));
        }
    }

    /// <summary>
    /// The loop's part (on its own thread): unmarks that did not reach the store (in order), then the
    /// take-backs of unanswered marks, up to <see cref="TakeBackBatch"/>; both stop at the first call that fails.
    /// </summary>
    internal void RetryPending()
    {
        while (_pendingUnmarks.TryPeek(out var pending))
        {
            if (_link.EvalInLoop(ReplayScripts.Unmark, [_keys.Replay(pending.BidId)], [(int)pending.Mark]) is null)
            {
                return;
            }

            _pendingUnmarks.TryDequeue(out _);
        }

        if (Volatile.Read(ref _lostCount) == 0)
        {
            return;
        }

        var sent = 0;
        foreach (var (attempt, tokens) in _lost)
        {
            if (++sent > TakeBackBatch)
            {
                return;
            }

            if (_link.EvalInLoop(ReplayScripts.TakeBack, [_keys.Replay(attempt.BidId)], [tokens, attempt.Mark]) is not { } result)
            {
                return;
            }

            if ((long)result == 1)
            {
                Interlocked.Increment(ref _takenBack);
            }

            // Kept if another unanswered attempt joined meanwhile: it is taken back next turn.
            Forget(attempt, tokens);
        }
    }

    private void RememberLost((long BidId, int Mark) attempt, long token)
    {
        var text = token.ToString(CultureInfo.InvariantCulture);
        while (true)
        {
            if (_lost.TryGetValue(attempt, out var tokens))
            {
                if (_lost.TryUpdate(attempt, tokens + "," + text, tokens))
                {
                    return;
                }
            }
            else
            {
                if (Volatile.Read(ref _lostCount) >= LostAttemptsLimit)
                {
                    return;
                }

                if (_lost.TryAdd(attempt, text))
                {
                    Interlocked.Increment(ref _lostCount);
                    return;
                }
            }
        }
    }

    private void Forget((long BidId, int Mark) attempt, string tokens)
    {
        if (_lost.TryRemove(KeyValuePair.Create(attempt, tokens)))
        {
            Interlocked.Decrement(ref _lostCount);
        }
    }

    /// <summary>The token of the last call made (for tests).</summary>
    internal long LastToken => _tokenBase + (Interlocked.Read(ref _sequence) & ((1L << SequenceBits) - 1));

    // Unique in the fleet while epochs are: epoch × 2^22 + sequence (wraps after 4M calls, long after a retry).
    private long NextToken() => _tokenBase + (Interlocked.Increment(ref _sequence) & ((1L << SequenceBits) - 1));

    private bool TryUnmark(long bidId, NoticeMarks mark) =>
        _link.Eval(ReplayScripts.Unmark, [_keys.Replay(bidId)], [(int)mark]) is not null;
}
