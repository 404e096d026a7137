namespace BidEngine.Core.State;

/// <summary>
/// Bid ids (each bid's reservation key and its tokens' bid id), unique across the processes of a
/// fleet and across restarts: the top 23 bits (below the sign) are this process's <see cref="Epoch"/>,
/// handed out once per start by the state (the embedded state counts its starts in its journal; a
/// shared store counts every node's starts in one key), the low 40 bits a counter. 2^40 bids is
/// about 870 years at 40,000 a second; 2^23 starts before an epoch repeats, and a repeat matters only
/// if the two starts' bids are alive at once (tokens live minutes).
/// </summary>
public sealed class BidIds
{
    /// <summary>Bits of the counter.</summary>
    public const int CounterBits = 40;

    /// <summary>Highest epoch: 23 bits.</summary>
    public const int MaxEpoch = (1 << 23) - 1;

    private long _next;

    public BidIds(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epoch, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(epoch, MaxEpoch);
        Epoch = epoch;
        _next = (long)epoch << CounterBits;
    }

    /// <summary>Ids under a random epoch, for a process with no state to count its starts (tools, benchmarks, memory-only state).</summary>
    public static BidIds Random() => new(System.Random.Shared.Next(1, MaxEpoch + 1));

    /// <summary>This process's start number, in the high bits of every id it makes.</summary>
    public int Epoch { get; }

    /// <summary>The next id: never 0, never negative, never made by another start.</summary>
    public long Next() => Interlocked.Increment(ref _next);

    /// <summary>The start (process) that made <paramref name="bidId"/>.</summary>
    public static int EpochOf(long bidId) => (int)(bidId >>> CounterBits);

    /// <summary>The epoch after <paramref name="previous"/>, wrapping past <see cref="MaxEpoch"/> to 1.</summary>
    public static int After(int previous) => previous >= MaxEpoch || previous < 1 ? 1 : previous + 1;
}
