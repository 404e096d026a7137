using System.Runtime.CompilerServices;

namespace BidEngine.Core.Features;

/// <summary>Maps (field, value) pairs to ids in a 2^bits space: the hashing trick.</summary>
public static class FeatureHasher
{
    /// <summary>FNV-1a over the bytes, seeded by the field, then a murmur-style finalizer for spread.</summary>
    public static long Hash(int field, ReadOnlySpan<byte> value, int bits)
    {
        var h = 14695981039346656037UL ^ ((ulong)field * 0x9E3779B97F4A7C15UL);
        foreach (var b in value)
        {
            h = (h ^ b) * 1099511628211UL;
        }

        return (long)(Mix(h) & ((1UL << bits) - 1));
    }

    public static long Hash(int field, long value, int bits)
    {
        Span<byte> bytes = stackalloc byte[8];
        Unsafe.WriteUnaligned(ref bytes[0], value);
        return Hash(field, bytes, bits);
    }

    private static ulong Mix(ulong h)
    {
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        return h;
    }
}
