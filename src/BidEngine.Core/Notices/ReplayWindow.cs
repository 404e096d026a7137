using BidEngine.Core.State;
using MessagePack;

namespace BidEngine.Core.Notices;

/// <summary>
/// Which bids have had which notices, for as long as their tokens live: the de-duplication that
/// makes a replayed notice count once. One entry per bid (its <see cref="NoticeMarks"/>), made by
/// its first notice and kept until its token expires (issue time + lifetime); after that the token
/// itself is refused, so the entry may go. Checking and marking happen under one lock per shard, so
/// that of 8 senders firing the same URL at once exactly one is <see cref="ReplayMark.Added"/>.
/// <para>
/// Size: <c>capacity</c> entries rounded up to a power of two, 17 bytes each (bid id, expiry, marks),
/// allocated once: the default 2,097,152 is about 36 MB and holds every bid noticed within a
/// 600-second lifetime at 3,500 noticed bids per second. Open addressing in 64 shards, a bid looks
/// at most <see cref="MaxProbes"/> slots; an expired entry's slot is reused in place.
/// </para>
/// <para>
/// When full (every slot a new bid may use holds a live entry, which in practice begins at about
/// 80-90 % of the capacity) the notice is refused with <see cref="ReplayMark.Full"/> and counted in
/// <see cref="FullCount"/>: fail closed. A live entry is never evicted, since its replay would then
/// count again; the exchange is told to retry (503) and room comes back as entries expire.
/// </para>
/// Per process, and made durable by the state journal (<c>State/</c>); a fleet shares one window in its store.
/// </summary>
public sealed class ReplayWindow : IReplayWindow
{
    /// <summary>Slots a bid may occupy, from its hash on: bounds the cost of a check at 32 reads.</summary>
    public const int MaxProbes = 32;

    private const int ShardBits = 6;

    private readonly long[] _bids;
    private readonly long[] _expires;
    private readonly byte[] _marks;
    private readonly object[] _locks;
    private readonly int _shardSize;
    private readonly int _probes;
    private long _full;

    /// <param name="capacity">Entries at most (rounded up to a power of two, at least 64).</param>
    public ReplayWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, 1 << ShardBits));
        Capacity = size;
        _shardSize = size >> ShardBits;
        _probes = Math.Min(MaxProbes, _shardSize);
        _bids = new long[size];
        _expires = new long[size];
        _marks = new byte[size];
        _locks = new object[1 << ShardBits];
        for (var i = 0; i < _locks.Length; i++)
        {
            _locks[i] = new object();
        }
    }

    /// <summary>Where each new mark is reported so that it survives a restart; null: memory only.</summary>
    public IStateJournal? Journal { get; set; }

    /// <summary>Entries the window can hold.</summary>
    public int Capacity { get; }

    /// <summary>Notices refused because the window had no room for their bid, since start.</summary>
    public long FullCount => Interlocked.Read(ref _full);

    /// <summary>
    /// Marks <paramref name="mark"/> on bid <paramref name="bidId"/> if it is new for that bid, the bid
    /// already has every mark in <paramref name="requires"/> and none in <paramref name="conflicts"/>.
    /// </summary>
    /// <param name="expiresAt">When the bid's tokens expire (Unix seconds): the entry is kept until then.</param>
    /// <param name="now">Unix seconds now; entries that expired before it are free.</param>
    /// <param name="before">The bid's marks before this call.</param>
    public ReplayMark TryMark(long bidId, NoticeMarks mark, NoticeMarks requires, NoticeMarks conflicts, long expiresAt, long now, out NoticeMarks before)
    {
        var (shard, start, origin) = Place(bidId);
        var mask = _shardSize - 1;
        lock (_locks[shard])
        {
            var free = -1;
            for (var probe = 0; probe < _probes; probe++)
            {
                var i = origin + ((start + probe) & mask);
                var key = _bids[i];
                if (key == bidId)
                {
                    before = (NoticeMarks)_marks[i];
                    var outcome = (before & mark) != 0 ? ReplayMark.Replayed
                        : (before & conflicts) != 0 ? ReplayMark.Conflicting
                        : (requires & ~before) != 0 ? ReplayMark.MissingRequired
                        : ReplayMark.Added;
                    if (outcome == ReplayMark.Added)
                    {
                        _marks[i] = (byte)(before | mark);
                        _expires[i] = Math.Max(_expires[i], expiresAt);
                        Journal?.Append(new StateRecord { Kind = StateRecordKind.Mark, BidId = bidId, Amount = _marks[i], Extra = _expires[i] });
                    }

                    return outcome;
                }

                if (key == 0)
                {
                    // Never-used slot: the chain ends here (slots are reused, never emptied).
                    free = free < 0 ? i : free;
                    break;
                }

                if (free < 0 && _expires[i] < now)
                {
                    free = i;
                }
            }

            before = NoticeMarks.None;
            if (requires != NoticeMarks.None)
            {
                return ReplayMark.MissingRequired;
            }

            if (free < 0)
            {
                Interlocked.Increment(ref _full);
                return ReplayMark.Full;
            }

            _bids[free] = bidId;
            _expires[free] = expiresAt;
            _marks[free] = (byte)mark;
            Journal?.Append(new StateRecord { Kind = StateRecordKind.Mark, BidId = bidId, Amount = (byte)mark, Extra = expiresAt });
            return ReplayMark.Added;
        }
    }

    public void Unmark(long bidId, NoticeMarks mark)
    {
        var (shard, start, origin) = Place(bidId);
        var mask = _shardSize - 1;
        lock (_locks[shard])
        {
            for (var probe = 0; probe < _probes; probe++)
            {
                var i = origin + ((start + probe) & mask);
                if (_bids[i] == bidId)
                {
                    _marks[i] = (byte)(_marks[i] & ~(byte)mark);
                    Journal?.Append(new StateRecord { Kind = StateRecordKind.Unmark, BidId = bidId, Amount = (byte)mark });
                    return;
                }

                if (_bids[i] == 0)
                {
                    return;
                }
            }
        }
    }

    // Fibonacci hashing: the top bits pick the shard, the next ones the first slot.
    private (int Shard, int Start, int Origin) Place(long bidId)
    {
        var hash = (ulong)bidId * 0x9E3779B97F4A7C15UL;
        var shard = (int)(hash >> (64 - ShardBits));
        return (shard, (int)(hash >> (64 - ShardBits - 24)) & (_shardSize - 1), shard * _shardSize);
    }

    /// <summary>A mark replayed from the journal or a snapshot: added to whatever the bid has (marks only ever accumulate there).</summary>
    public void Restore(long bidId, NoticeMarks marks, long expiresAt, long now)
    {
        if (TryMark(bidId, marks, NoticeMarks.None, NoticeMarks.None, expiresAt, now, out var before) == ReplayMark.Replayed && (marks & ~before) != 0)
        {
            TryMark(bidId, marks & ~before, NoticeMarks.None, NoticeMarks.None, expiresAt, now, out _);
        }
    }

    /// <summary>The live entries (expiring at or after <paramref name="now"/>), for the state snapshot.</summary>
    public void WriteSnapshot(ref MessagePackWriter writer, long now)
    {
        var live = new List<(long Bid, long Expires, byte Marks)>();
        for (var shard = 0; shard < _locks.Length; shard++)
        {
            lock (_locks[shard])
            {
                for (var i = shard * _shardSize; i < (shard + 1) * _shardSize; i++)
                {
                    if (_bids[i] != 0 && _expires[i] >= now)
                    {
                        live.Add((_bids[i], _expires[i], _marks[i]));
                    }
                }
            }
        }

        writer.WriteArrayHeader(live.Count * 3);
        foreach (var (bid, expires, marks) in live)
        {
            writer.Write(bid);
            writer.Write(expires);
            writer.Write(marks);
        }
    }

    public void ReadSnapshot(ref MessagePackReader reader, long now)
    {
        var count = reader.ReadArrayHeader() / 3;
        for (var i = 0; i < count; i++)
        {
            var bid = reader.ReadInt64();
            var expires = reader.ReadInt64();
            Restore(bid, (NoticeMarks)reader.ReadByte(), expires, now);
        }
    }
}
