namespace BidEngine.Core.Privacy;

/// <summary>
/// Reads a bit string straight from its base64url text (TCF and GPP segments), six bits per
/// character, most significant first, without decoding it into a buffer: the request's own bytes
/// are the storage. Checked once with <see cref="IsValid"/>; every read then checks only that it
/// stays inside the text. A <c>ref struct</c>: 0 B.
/// </summary>
internal ref struct Base64UrlBits
{
    private readonly ReadOnlySpan<byte> _chars;

    public Base64UrlBits(ReadOnlySpan<byte> chars)
    {
        _chars = chars;
        Position = 0;
    }

    /// <summary>The next bit to read.</summary>
    public int Position { get; set; }

    /// <summary>Bits in the text.</summary>
    public readonly int Length => _chars.Length * 6;

    public readonly int Remaining => Length - Position;

    /// <summary>
    /// True when every character is in the base64url alphabet. The standard alphabet's <c>+</c> and
    /// <c>/</c> are taken too (some encoders use it), and trailing <c>=</c> padding is not expected.
    /// </summary>
    public static bool IsValid(ReadOnlySpan<byte> chars)
    {
        var table = Sextets;
        foreach (var c in chars)
        {
            if (table[c] < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads <paramref name="count"/> (1..36) bits as an unsigned number; false past the end.</summary>
    public bool TryRead(int count, out long value)
    {
        value = 0;
        if (count > Remaining)
        {
            return false;
        }

        var table = Sextets;
        var position = Position;
        while (count > 0)
        {
            var offset = position % 6;
            var available = 6 - offset;
            var take = Math.Min(available, count);
            var sextet = table[_chars[position / 6]];
            value = (value << take) | (long)((sextet >> (available - take)) & ((1 << take) - 1));
            position += take;
            count -= take;
        }

        Position = position;
        return true;
    }

    public bool TryReadInt(int count, out int value)
    {
        var ok = TryRead(count, out var v);
        value = (int)v;
        return ok;
    }

    public bool TryReadBit(out bool value)
    {
        var ok = TryRead(1, out var v);
        value = v != 0;
        return ok;
    }

    /// <summary>The bit at <paramref name="position"/> without moving; the caller has checked the range.</summary>
    public readonly bool BitAt(int position) => ((Sextets[_chars[position / 6]] >> (5 - (position % 6))) & 1) != 0;

    public bool TrySkip(int count)
    {
        if (count < 0 || count > Remaining)
        {
            return false;
        }

        Position += count;
        return true;
    }

    /// <summary>
    /// A Fibonacci-coded integer (GPP): bits weighted 1, 2, 3, 5, 8, ... ending with two 1s in a row.
    /// At most <paramref name="maxBits"/> bits are read; false if no end is found by then.
    /// </summary>
    public bool TryReadFibonacci(int maxBits, out int value)
    {
        value = 0;
        int a = 1, b = 2; // weights of the current and the next bit
        var previous = false;
        for (var i = 0; i < maxBits; i++)
        {
            if (!TryReadBit(out var bit))
            {
                return false;
            }

            if (bit && previous)
            {
                return true;
            }

            if (bit)
            {
                value += a;
            }

            previous = bit;
            (a, b) = (b, a + b);
        }

        return false;
    }

    /// <summary>Value of each base64url (and base64) character, -1 for anything else.</summary>
    private static ReadOnlySpan<sbyte> Sextets =>
    [
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, 62, -1, 63, // + - /
        52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1, // 0-9
        -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,           // A-O
        15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, 63, // P-Z _
        -1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, // a-o
        41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1, // p-z
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    ];
}
