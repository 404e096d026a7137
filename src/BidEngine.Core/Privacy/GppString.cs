using System.Numerics;

namespace BidEngine.Core.Privacy;

/// <summary>
/// The IAB Global Privacy Platform string: a header, then one section per id it lists, separated by
/// <c>~</c>. The header (type 3, version 1, then the section ids as a Fibonacci-coded range list)
/// is decoded into a bit set; a section is found by its place among the ids. The US sections
/// (national 7, states 8-27) are read enough for their sale, sharing and targeted-advertising
/// opt-outs; section 6 is the US Privacy string. Straight from the request's bytes: 0 B.
/// </summary>
public static class GppString
{
    /// <summary>GPP section ids the bidder reads.</summary>
    public const int TcfEuV2 = 2;
    public const int UspV1 = 6;
    public const int UsNat = 7;
    public const int LastUsState = 27;

    private const int HeaderType = 3;
    private const int HeaderVersion = 1;

    /// <summary>Section ids bit set (bit n for id n) of every US section the bidder decodes: 6-27.</summary>
    public const ulong UsSections = ((1UL << (LastUsState + 1)) - 1) & ~((1UL << UspV1) - 1);

    // Bit offsets in each US core segment (counted from its first bit, the 6-bit version) of the opt-out fields, -1 when the
    // section has none; from the IAB sections' field lists (@iabgpp/cmpapi 3.2: usnat v2, states v1).
    // The national section's v1 and v2 put these fields at the same offsets. Index: section id - 7.
    private static ReadOnlySpan<sbyte> SaleOffsets => [18, 12, 12, 12, 14, 12, 12, 12, 12, 12, 12, 14, 12, 12, 12, 12, 12, 16, 16, 16, 16];

    private static ReadOnlySpan<sbyte> SharingOffsets => [20, 14, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1];

    private static ReadOnlySpan<sbyte> TargetedOffsets => [22, -1, 14, 14, 16, 14, 14, 14, 14, 14, 14, 16, 14, 14, 14, 14, 14, 18, 18, 18, 18];

    /// <summary>The ids the header lists, as a bit set (ids above 63 are left out; none is defined). False for a header that does not decode.</summary>
    public static bool TryReadSectionIds(ReadOnlySpan<byte> gpp, out ulong ids)
    {
        ids = 0;
        var end = gpp.IndexOf((byte)'~');
        var header = end < 0 ? gpp : gpp[..end];
        if (header.IsEmpty || !Base64UrlBits.IsValid(header))
        {
            return false;
        }

        var bits = new Base64UrlBits(header);
        if (!bits.TryReadInt(6, out var type) || type != HeaderType
            || !bits.TryReadInt(6, out var version) || version != HeaderVersion
            || !bits.TryReadInt(12, out var entries))
        {
            return false;
        }

        var last = 0;
        for (var i = 0; i < entries; i++)
        {
            if (!bits.TryReadBit(out var isRange) || !bits.TryReadFibonacci(32, out var offset))
            {
                return false;
            }

            var start = last + offset;
            var stop = start;
            if (isRange)
            {
                if (!bits.TryReadFibonacci(32, out var length))
                {
                    return false;
                }

                stop = start + length;
            }

            if (start <= last || stop > 1000)
            {
                return false;
            }

            for (var id = start; id <= stop && id <= 63; id++)
            {
                ids |= 1UL << id;
            }

            last = stop;
        }

        return true;
    }

    /// <summary>The text of section <paramref name="id"/>, found by its place among <paramref name="ids"/> (from <see cref="TryReadSectionIds"/>).</summary>
    public static bool TryGetSection(ReadOnlySpan<byte> gpp, ulong ids, int id, out ReadOnlySpan<byte> section)
    {
        section = default;
        if (id is < 1 or > 63 || (ids & (1UL << id)) == 0)
        {
            return false;
        }

        // Sections follow the header in the order of their ids.
        var index = BitOperations.PopCount(ids & ((1UL << id) - 1)) + 1;
        var rest = gpp;
        for (var i = 0; i < index; i++)
        {
            var tilde = rest.IndexOf((byte)'~');
            if (tilde < 0)
            {
                return false;
            }

            rest = rest[(tilde + 1)..];
        }

        var next = rest.IndexOf((byte)'~');
        section = next < 0 ? rest : rest[..next];
        return !section.IsEmpty;
    }

    /// <summary>
    /// The opt-outs of a US section (6-27). An opt-out field reads 1 when the user opted out, 2 when
    /// not, 0 when not applicable. False when the section does not decode.
    /// </summary>
    public static bool TryReadUsOptOuts(ReadOnlySpan<byte> section, int id, out UsOptOuts optOuts)
    {
        optOuts = UsOptOuts.None;
        if (id == UspV1)
        {
            if (!UsPrivacyString.TryRead(section, out var sale))
            {
                return false;
            }

            optOuts = sale ? UsOptOuts.Sale : UsOptOuts.None;
            return true;
        }

        if (id is < UsNat or > LastUsState)
        {
            return false;
        }

        // The core segment; an optional GPC segment follows after a dot.
        var dot = section.IndexOf((byte)'.');
        var core = dot < 0 ? section : section[..dot];
        if (core.IsEmpty || !Base64UrlBits.IsValid(core))
        {
            return false;
        }

        var bits = new Base64UrlBits(core);
        if (!bits.TryReadInt(6, out var version) || version < 1)
        {
            return false;
        }

        var row = id - UsNat;
        var ok = Field(ref bits, SaleOffsets[row], UsOptOuts.Sale, ref optOuts)
            & Field(ref bits, SharingOffsets[row], UsOptOuts.Sharing, ref optOuts)
            & Field(ref bits, TargetedOffsets[row], UsOptOuts.TargetedAdvertising, ref optOuts);
        return ok;
    }

    private static bool Field(ref Base64UrlBits bits, int offset, UsOptOuts flag, ref UsOptOuts optOuts)
    {
        if (offset < 0)
        {
            return true;
        }

        bits.Position = offset;
        if (!bits.TryReadInt(2, out var value))
        {
            return false;
        }

        if (value == 1)
        {
            optOuts |= flag;
        }

        return true;
    }
}
