using System.Collections.Concurrent;
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
/// Known gap: a mark the store made whose reply was lost (timeout) stays, and the exchange's retry is
/// then answered <see cref="ReplayMark.Replayed"/>, so that notice's effect is lost (for a bill: spend
/// not counted). It takes a timeout after the script ran; the fix is to mark and settle in one script.
/// An <see cref="Unmark"/> that cannot reach the store is retried by the loop.
/// </para>
/// </summary>
public sealed class SharedReplayWindow : IReplayWindow
{
    private readonly StoreLink _link;
    private readonly StoreKeys _keys;
    private readonly ConcurrentQueue<(long BidId, NoticeMarks Mark)> _pendingUnmarks = new();

    internal SharedReplayWindow(StoreLink link, StoreKeys keys)
    {
        _link = link;
        _keys = keys;
    }

    /// <summary>As many as the store holds.</summary>
    public int Capacity => int.MaxValue;

    /// <summary>Never full: the store's memory is the limit (its maxmemory policy must be noeviction).</summary>
    public long FullCount => 0;

    /// <summary>Unmarks waiting for the store.</summary>
    public int PendingUnmarks => _pendingUnmarks.Count;

    public ReplayMark TryMark(long bidId, NoticeMarks mark, NoticeMarks requires, NoticeMarks conflicts, long expiresAt, long now, out NoticeMarks before)
    {
        before = NoticeMarks.None;
        var result = _link.Eval(ReplayScripts.TryMark, [_keys.Replay(bidId)], [(int)mark, (int)requires, (int)conflicts, expiresAt, now]);
        if (result is null)
        {
            return ReplayMark.Unavailable;
        }

        var r = (RedisResult[])result!;
        before = (NoticeMarks)(byte)(long)r[1];
        return (long)r[0] switch
        {
            0 => ReplayMark.Added,
            1 => ReplayMark.Replayed,
            2 => ReplayMark.MissingRequired,
            _ => ReplayMark.Conflicting,
        };
    }

    public void Unmark(long bidId, NoticeMarks mark)
    {
        if (!TryUnmark(bidId, mark))
        {
            _pendingUnmarks.Enqueue((bidId, mark));
        }
    }

    /// <summary>The loop's retry of unmarks that did not reach the store; stops at the first that still fails.</summary>
    internal void RetryPending()
    {
        while (_pendingUnmarks.TryPeek(out var pending))
        {
            if (!TryUnmark(pending.BidId, pending.Mark))
            {
                return;
            }

            _pendingUnmarks.TryDequeue(out _);
        }
    }

    private bool TryUnmark(long bidId, NoticeMarks mark) =>
        _link.Eval(ReplayScripts.Unmark, [_keys.Replay(bidId)], [(int)mark]) is not null;
}
