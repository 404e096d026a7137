using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BidEngine.Core.Budgets;

/// <summary>
/// An account's reservations by id, spread over <see cref="Shards"/> dictionaries by a hash of the
/// id, so that growing never rehashes them all at once: one dictionary of two million records doubles
/// by rehashing ~50 MB under the account's lock (measured: bids on that campaign waited up to 16 ms
/// behind it, the bidder's worst tail at 32 connections); a shard is a sixteenth of that. A shard is
/// made when its first record comes: sixteen empty dictionaries were 1.3 KB an account, 130 MB for
/// 100,000 campaigns that never bid. Not thread-safe: the account's lock guards it.
/// </summary>
internal sealed class ReservationRecords
{
    private const int ShardBits = 4;

    public const int Shards = 1 << ShardBits;

    private Dictionary<long, Reservation>?[]? _shards;

    public int Count
    {
        get
        {
            var count = 0;
            foreach (var shard in _shards ?? [])
            {
                count += shard?.Count ?? 0;
            }

            return count;
        }
    }

    public bool TryAdd(long id, Reservation record) => ((_shards ??= new Dictionary<long, Reservation>?[Shards])[ShardOf(id)] ??= []).TryAdd(id, record);

    /// <summary>The record, or a null ref (<see cref="Unsafe.IsNullRef{T}(ref readonly T)"/>) when there is none.</summary>
    public ref Reservation Find(long id)
    {
        var shard = _shards?[ShardOf(id)];
        if (shard is null)
        {
            return ref Unsafe.NullRef<Reservation>();
        }

        return ref CollectionsMarshal.GetValueRefOrNullRef(shard, id);
    }

    public bool Remove(long id) => _shards?[ShardOf(id)]?.Remove(id) ?? false;

    // Fibonacci hashing: ids are sequential, and their top bits after the multiply spread evenly.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ShardOf(long id) => (int)(((ulong)id * 0x9E3779B97F4A7C15UL) >> (64 - ShardBits));
}
