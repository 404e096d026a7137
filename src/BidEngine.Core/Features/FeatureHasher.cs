namespace BidEngine.Core.Features;

/// <summary>
/// The hashing trick: maps (field seed, value) to 64 bits, then to an id in a 2^bits space.
/// FNV-1a over the bytes from a field-specific seed, then the murmur3 64-bit finalizer so that
/// the low bits (the ones the mask keeps) depend on every input byte. Stable across processes
/// and machines: the ids are the model's input, so this code must never change without a new
/// <see cref="FeatureSpec.Version"/>.
/// </summary>
public static class FeatureHasher
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>The 64-bit hash of a byte value (absent and empty hash alike: "missing").</summary>
    public static ulong Hash64(ulong seed, ReadOnlySpan<byte> value, bool foldAsciiCase = false)
    {
        var h = FnvOffset ^ seed;
        if (foldAsciiCase)
        {
            foreach (var b in value)
            {
                // 'A'..'Z' -> 'a'..'z'; other bytes (UTF-8 continuation bytes included) unchanged.
                var c = (uint)(b - 'A') <= 'Z' - 'A' ? (byte)(b | 0x20) : b;
                h = (h ^ c) * FnvPrime;
            }
        }
        else
        {
            foreach (var b in value)
            {
                h = (h ^ b) * FnvPrime;
            }
        }

        // The length ends the value, so that ("ab", "c") and ("a", "bc") differ in a cross.
        h = (h ^ (ulong)value.Length) * FnvPrime;
        return Mix(h);
    }

    /// <summary>The 64-bit hash of an integer value.</summary>
    public static ulong Hash64(ulong seed, long value) => Mix((FnvOffset ^ seed) + ((ulong)value * 0x9E3779B97F4A7C15UL));

    /// <summary>Combines two hashes into the hash of their pair (a crossed feature).</summary>
    public static ulong Combine(ulong seed, ulong a, ulong b) => Mix(Mix(seed ^ a) + (b * 0xC2B2AE3D27D4EB4FUL));

    /// <summary>Keeps the low <paramref name="bits"/> bits: the id in a 2^bits space.</summary>
    public static long ToId(ulong hash, int bits) => (long)(hash & ((1UL << bits) - 1));

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
