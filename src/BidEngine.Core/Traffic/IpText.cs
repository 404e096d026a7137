using System.Buffers.Binary;

namespace BidEngine.Core.Traffic;

/// <summary>
/// Reads IP addresses straight from a request's UTF-8 text, without an <see cref="System.Net.IPAddress"/>
/// (each parse of one allocates). Strict: IPv4 only as four decimal parts 0-255 without leading zeros
/// (no octal, hex or short forms, which no exchange sends and which read differently in other parsers);
/// IPv6 as RFC 4291 text, with at most one <c>::</c> and an optional dotted IPv4 tail, no zone id.
/// An IPv4-mapped IPv6 address (<c>::ffff:a.b.c.d</c>) reads as its IPv4 address.
/// </summary>
public static class IpText
{
    /// <summary>Longest IPv6 text: eight groups of four hex digits and seven colons, or the IPv4-tail form.</summary>
    public const int MaxV6Length = 45;

    /// <summary>Either family: the IPv4 address in <paramref name="v4"/>, or the IPv6 one in <paramref name="v6"/>.</summary>
    public static IpFamily TryParse(ReadOnlySpan<byte> text, out uint v4, out UInt128 v6)
    {
        v6 = default;
        if (TryParseV4(text, out v4))
        {
            return IpFamily.V4;
        }

        if (!TryParseV6(text, out v6))
        {
            return IpFamily.None;
        }

        if (v6 >> 32 == (UInt128)0xFFFF)
        {
            v4 = (uint)v6;
            v6 = default;
            return IpFamily.V4;
        }

        return IpFamily.V6;
    }

    public static bool TryParseV4(ReadOnlySpan<byte> text, out uint address)
    {
        address = 0;
        if (text.Length is < 7 or > 15)
        {
            return false;
        }

        var part = 0;
        var pos = 0;
        for (var i = 0; i < 4; i++)
        {
            if (i > 0)
            {
                if (pos >= text.Length || text[pos] != (byte)'.')
                {
                    return false;
                }

                pos++;
            }

            var start = pos;
            var value = 0;
            while (pos < text.Length && pos - start < 3 && (uint)(text[pos] - '0') <= 9)
            {
                value = (value * 10) + (text[pos] - '0');
                pos++;
            }

            var digits = pos - start;
            if (digits == 0 || value > 255 || (digits > 1 && text[start] == (byte)'0'))
            {
                return false;
            }

            part = (part << 8) | value;
        }

        address = (uint)part;
        return pos == text.Length;
    }

    public static bool TryParseV6(ReadOnlySpan<byte> text, out UInt128 address)
    {
        address = default;
        if (text.Length is < 2 or > MaxV6Length)
        {
            return false;
        }

        Span<ushort> groups = stackalloc ushort[8];
        var count = 0;
        var gap = -1;
        var pos = 0;
        if (text[0] == (byte)':')
        {
            if (text[1] != (byte)':')
            {
                return false;
            }

            gap = 0;
            pos = 2;
        }

        while (pos < text.Length)
        {
            if (count == 8)
            {
                return false;
            }

            var end = pos;
            var dotted = false;
            while (end < text.Length && text[end] != (byte)':')
            {
                dotted |= text[end] == (byte)'.';
                end++;
            }

            if (dotted)
            {
                // A dotted IPv4 tail: the last 32 bits, and nothing may follow it.
                if (end != text.Length || count > 6 || !TryParseV4(text[pos..end], out var tail))
                {
                    return false;
                }

                groups[count++] = (ushort)(tail >> 16);
                groups[count++] = (ushort)tail;
                pos = end;
                break;
            }

            var digits = end - pos;
            if (digits is 0 or > 4)
            {
                return false;
            }

            var value = 0;
            for (var i = pos; i < end; i++)
            {
                var hex = HexValue(text[i]);
                if (hex < 0)
                {
                    return false;
                }

                value = (value << 4) | hex;
            }

            groups[count++] = (ushort)value;
            pos = end;
            if (pos == text.Length)
            {
                break;
            }

            // A colon after a group; two mean the gap (once), and a single one may not end the text.
            pos++;
            if (pos < text.Length && text[pos] == (byte)':')
            {
                if (gap >= 0)
                {
                    return false;
                }

                gap = count;
                pos++;
            }
            else if (pos == text.Length)
            {
                return false;
            }
        }

        // "::" stands for at least one group of zeros.
        if (gap < 0 ? count != 8 : count > 7)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        var tailGroups = gap < 0 ? 0 : count - gap;
        var headGroups = count - tailGroups;
        for (var i = 0; i < headGroups; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes[(2 * i)..], groups[i]);
        }

        for (var i = 0; i < tailGroups; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes[(2 * (8 - tailGroups + i))..], groups[headGroups + i]);
        }

        address = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return true;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };
}
