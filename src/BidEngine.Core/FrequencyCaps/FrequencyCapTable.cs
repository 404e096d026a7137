using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BidEngine.Core.State;
using MessagePack;
using System.Numerics;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Time;

namespace BidEngine.Core.FrequencyCaps;

/// <summary>
/// Billed impressions per user × campaign in a bucketed sliding window, in a table of fixed size.
///
/// Window: a cap's window is cut into buckets of ceil(window / 7) seconds and eight are kept, so the
/// buckets counted always cover the whole window: an impression counts for at least the window and
/// at most 8 × ceil(window / 7) seconds (the window, one more bucket, and the rounding up). Bucketing can only over-cap, never under-cap.
///
/// Memory: <see cref="FrequencyCapOptions.Capacity"/> entries of 24 B, allocated once, plus 1,024
/// locks; nothing grows with traffic. The table is 8-way set-associative: a key lives in one set
/// of 8 slots. A new key takes an empty slot or one whose window has passed; if all 8 are live, the
/// one that expires soonest is evicted (<see cref="Evictions"/>). That is the only under-capping:
/// each eviction lets that user see that campaign up to <see cref="FrequencyCap.Impressions"/> more
/// times before its window ends. Evictions happen only when a set holds 8 users with live counts,
/// that is, when live user × campaign pairs approach the capacity (a 64-bit key collision, which
/// over-caps two users as one, has odds about n² / 2^65).
///
/// Counts are of billed impressions, so bids still in flight for one user when the check is made can
/// each win: a user may see more than the cap by the bids outstanding for them at once.
/// </summary>
public sealed class FrequencyCapTable : IFrequencyCaps
{
    private const int Ways = 8;
    private const int Stripes = 1024;
    private readonly FrequencyEntry[] _entries;
    private readonly Lock[] _locks;
    private readonly int _setMask;
    private readonly IClock _clock;
    private long _evictions;

    public FrequencyCapTable(IClock clock, FrequencyCapOptions? options = null)
    {
        var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(Ways, (options ?? new FrequencyCapOptions()).Capacity));
        _entries = new FrequencyEntry[capacity];
        _setMask = (capacity / Ways) - 1;
        _locks = new Lock[Stripes];
        for (var i = 0; i < _locks.Length; i++)
        {
            _locks[i] = new Lock();
        }

        _clock = clock;
    }

    public int Capacity => _entries.Length;

    /// <summary>Where each count is reported so that it survives a restart; null: memory only.</summary>
    public IStateJournal? Journal { get; set; }

    /// <summary>Live entries evicted to make room since start: each one a possible under-cap.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>
    /// May this campaign bid for this user now? <paramref name="user"/> 0 (no user key) follows the
    /// cap's <see cref="FrequencyCap.UnknownUsers"/>. Allocates nothing.
    /// </summary>
    public bool Allows(ulong user, ulong campaign, FrequencyCap cap)
    {
        if (user == 0)
        {
            return cap.UnknownUsers == UnknownUserPolicy.Bid;
        }

        return CountInWindow(user, campaign, cap) < cap.Impressions;
    }

    /// <summary>The billed impressions this user had from this campaign in the window.</summary>
    public int CountInWindow(ulong user, ulong campaign, FrequencyCap cap)
    {
        var (width, epoch) = Bucket(cap);
        var key = Key(user, campaign, width);
        var set = SetOf(key);
        lock (_locks[set & (Stripes - 1)])
        {
            var slots = _entries.AsSpan(set * Ways, Ways);
            foreach (ref var slot in slots)
            {
                if (slot.Key == key)
                {
                    return Sum(slot, epoch);
                }
            }
        }

        return 0;
    }

    /// <summary>A billed impression of this campaign for this user (no-op for user 0).</summary>
    public void Count(ulong user, ulong campaign, FrequencyCap cap)
    {
        if (user == 0)
        {
            return;
        }

        var now = Seconds();
        CountAt(user, campaign, cap.WindowSeconds, now);
        Journal?.Append(new StateRecord { Kind = StateRecordKind.CapCount, BidId = (long)user, Extra = (long)campaign, Amount = cap.WindowSeconds, UtcTicks = now * TimeSpan.TicksPerSecond });
    }

    /// <summary>A count replayed from the journal at its own time (Unix seconds).</summary>
    public void Restore(ulong user, ulong campaign, int windowSeconds, long unixSeconds)
    {
        if (user != 0)
        {
            CountAt(user, campaign, windowSeconds, (uint)unixSeconds);
        }
    }

    private void CountAt(ulong user, ulong campaign, int windowSeconds, uint now)
    {
        var width = Width(windowSeconds);
        var epoch = now / width;
        var key = Key(user, campaign, width);
        var set = SetOf(key);
        lock (_locks[set & (Stripes - 1)])
        {
            var slots = _entries.AsSpan(set * Ways, Ways);
            var target = -1;
            var soonest = -1;
            for (var i = 0; i < slots.Length; i++)
            {
                if (slots[i].Key == key)
                {
                    target = i;
                    break;
                }

                if (target < 0 && (slots[i].Key == 0 || slots[i].ExpiresAt <= now))
                {
                    target = i; // a free slot; keep looking in case the key is further on
                    continue;
                }

                if (soonest < 0 || slots[i].ExpiresAt < slots[soonest].ExpiresAt)
                {
                    soonest = i;
                }
            }

            if (target < 0)
            {
                target = soonest;
                Interlocked.Increment(ref _evictions);
            }

            ref var entry = ref slots[target];
            if (entry.Key != key)
            {
                entry = new FrequencyEntry { Key = key, Epoch = epoch };
            }

            Advance(ref entry, epoch);
            var shift = (int)(epoch % Ways) * 8;
            var lane = (entry.Counts >> shift) & 0xFF;
            if (lane < 0xFF)
            {
                entry.Counts += 1UL << shift;
            }

            entry.ExpiresAt = (uint)Math.Min(uint.MaxValue, ((ulong)epoch + Ways) * width);
        }
    }

    /// <summary>Moves the ring to <paramref name="epoch"/>, clearing the buckets that fell out.</summary>
    private static void Advance(ref FrequencyEntry entry, uint epoch)
    {
        if (epoch <= entry.Epoch)
        {
            return;
        }

        var steps = epoch - entry.Epoch;
        if (steps >= Ways)
        {
            entry.Counts = 0;
        }
        else
        {
            for (var e = entry.Epoch + 1; e <= epoch; e++)
            {
                entry.Counts &= ~(0xFFUL << (int)(e % Ways * 8));
            }
        }

        entry.Epoch = epoch;
    }

    /// <summary>
    /// Sum of the buckets the window (epoch − 8, epoch] still shares with the entry's (entry.Epoch − 8,
    /// entry.Epoch]. A thread that read the clock just before another wrote a newer bucket sees an
    /// epoch one behind: it counts every bucket, one more than due (over-caps, never under).
    /// </summary>
    private static int Sum(in FrequencyEntry entry, uint epoch)
    {
        var age = epoch > entry.Epoch ? epoch - entry.Epoch : 0;
        var sum = 0;
        for (var back = 0u; back + age < Ways; back++)
        {
            sum += (int)((entry.Counts >> (int)((entry.Epoch - back) % Ways * 8)) & 0xFF);
        }

        return sum;
    }

    private (uint Width, uint Epoch) Bucket(FrequencyCap cap)
    {
        var width = Width(cap.WindowSeconds);
        return (width, Seconds() / width);
    }

    private static uint Width(int windowSeconds) => (uint)Math.Max(1, (windowSeconds + Ways - 2) / (Ways - 1));

    // Unix seconds (wall clock): counts outlive the process through the state journal.
    private uint Seconds() => (uint)_clock.UtcNow.ToUnixTimeSeconds();

    private int SetOf(ulong key) => (int)(key >> 32) & _setMask;

    /// <summary>
    /// The bucket width is part of the key: a campaign whose window changes on reload starts its
    /// counts again (one under-cap per user at that moment) instead of reading buckets of another width.
    /// </summary>
    private static ulong Key(ulong user, ulong campaign, uint width)
    {
        var key = (user * 0x9E3779B97F4A7C15UL) ^ BitOperations.RotateLeft(campaign + width, 31);
        key ^= key >> 29;
        return key == 0 ? 1 : key;
    }

    /// <summary>The whole table, raw (24 B an entry), for the state snapshot; each stripe's sets under its lock.</summary>
    public void WriteSnapshot(ref MessagePackWriter writer)
    {
        var copy = new FrequencyEntry[_entries.Length];
        for (var stripe = 0; stripe < Stripes; stripe++)
        {
            lock (_locks[stripe])
            {
                for (var set = stripe; set <= _setMask; set += Stripes)
                {
                    _entries.AsSpan(set * Ways, Ways).CopyTo(copy.AsSpan(set * Ways, Ways));
                }
            }
        }

        writer.Write(MemoryMarshal.AsBytes(copy.AsSpan()));
    }

    /// <summary>Restores a snapshot of a table of the same capacity; false (counts start empty) when the capacity changed.</summary>
    public bool ReadSnapshot(ref MessagePackReader reader)
    {
        var bytes = reader.ReadBytes();
        if (bytes is not { } sequence || sequence.Length != (long)_entries.Length * Unsafe.SizeOf<FrequencyEntry>())
        {
            return false;
        }

        sequence.CopyTo(MemoryMarshal.AsBytes(_entries.AsSpan()));
        return true;
    }
}
