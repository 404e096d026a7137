using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace BidEngine.OpenRtb.Parsing;

/// <summary>
/// Reads a number token without allocating when it straddles two body segments. Utf8JsonReader's
/// own TryGetInt32/TryGetDouble copy such a number with <c>ValueSequence.ToArray()</c> (32 B each);
/// here it is copied onto the stack and parsed with the same <see cref="Utf8Parser"/> rules.
/// </summary>
internal static class JsonNumbers
{
    /// <summary>Longer than any number the parser reads needs; a longer split token is read the reader's way.</summary>
    private const int MaxStackDigits = 64;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryGetInt32(ref Utf8JsonReader reader, out int value) =>
        reader.HasValueSequence ? TryGetSplitInt32(ref reader, out value) : reader.TryGetInt32(out value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryGetDouble(ref Utf8JsonReader reader, out double value) =>
        reader.HasValueSequence ? TryGetSplitDouble(ref reader, out value) : reader.TryGetDouble(out value);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryGetSplitInt32(ref Utf8JsonReader reader, out int value)
    {
        var sequence = reader.ValueSequence;
        if (sequence.Length > MaxStackDigits)
        {
            return reader.TryGetInt32(out value);
        }

        Span<byte> digits = stackalloc byte[MaxStackDigits];
        digits = digits[..(int)sequence.Length];
        sequence.CopyTo(digits);
        return Utf8Parser.TryParse(digits, out value, out var consumed) && consumed == digits.Length;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryGetSplitDouble(ref Utf8JsonReader reader, out double value)
    {
        var sequence = reader.ValueSequence;
        if (sequence.Length > MaxStackDigits)
        {
            return reader.TryGetDouble(out value);
        }

        Span<byte> digits = stackalloc byte[MaxStackDigits];
        digits = digits[..(int)sequence.Length];
        sequence.CopyTo(digits);
        return Utf8Parser.TryParse(digits, out value, out var consumed) && consumed == digits.Length && double.IsFinite(value);
    }
}
