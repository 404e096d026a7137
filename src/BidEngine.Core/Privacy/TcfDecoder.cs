namespace BidEngine.Core.Privacy;

/// <summary>
/// Decodes an IAB TCF v2 (v2.2 and v2.3) TC string straight from its base64url bytes, for one
/// vendor: the core segment (version, CMP, vendor list, policy version, special features,
/// purposes consent and legitimate interest, our vendor's consent and LI bits in bit-field or range
/// encoding, and the publisher restrictions that name us) and the disclosed-vendors segment,
/// mandatory from v2.3 (policy version 5). Other segments (allowed vendors, publisher TC) are skipped.
/// Nothing is decoded into a buffer: a vendor's bit in a bit field is one read at its offset, a
/// range list is walked entry by entry. 0 B per call.
/// </summary>
public static class TcfDecoder
{
    // Core segment field widths, in order (IAB TCF v2 "TC string format").
    private const int VersionBits = 6;
    private const int FixedBeforePolicyVersion = 36 + 36; // Created, LastUpdated
    private const int CoreFixedBits = 213;               // everything before the vendor consent section
    private const int SegmentTypeBits = 3;
    private const int DisclosedVendorsSegment = 1;

    /// <summary>The highest vendor id a 16-bit field can carry.</summary>
    public const int MaxVendorId = ushort.MaxValue;

    /// <summary>Decodes <paramref name="text"/>, answering for <paramref name="vendorId"/> (0: no vendor).</summary>
    public static TcfStatus Decode(ReadOnlySpan<byte> text, int vendorId, out TcfConsent consent)
    {
        consent = default;
        if ((uint)vendorId > MaxVendorId)
        {
            return TcfStatus.Malformed;
        }

        var dot = text.IndexOf((byte)'.');
        var core = dot < 0 ? text : text[..dot];
        if (core.IsEmpty || !Base64UrlBits.IsValid(core))
        {
            return TcfStatus.Malformed;
        }

        var bits = new Base64UrlBits(core);
        if (!bits.TryReadInt(VersionBits, out var version))
        {
            return TcfStatus.Malformed;
        }

        if (version != 2)
        {
            return TcfStatus.UnsupportedVersion;
        }

        if (bits.Length < CoreFixedBits + 17 + 17
            || !bits.TrySkip(FixedBeforePolicyVersion)
            || !bits.TryReadInt(12, out var cmpId)
            || !bits.TryReadInt(12, out var cmpVersion)
            || !bits.TrySkip(6 + 12) // ConsentScreen, ConsentLanguage
            || !bits.TryReadInt(12, out var vendorListVersion)
            || !bits.TryReadInt(6, out var policyVersion)
            || !bits.TryReadBit(out var serviceSpecific)
            || !bits.TrySkip(1) // UseNonStandardTexts
            || !TryReadNumberedBits(ref bits, 12, out var specialFeatures)
            || !TryReadNumberedBits(ref bits, 24, out var purposesConsent)
            || !TryReadNumberedBits(ref bits, 24, out var purposesLi)
            || !bits.TrySkip(1 + 12)) // PurposeOneTreatment, PublisherCC
        {
            return TcfStatus.Malformed;
        }

        if (!TryReadVendorSet(ref bits, vendorId, out var vendorConsent)
            || !TryReadVendorSet(ref bits, vendorId, out var vendorLi)
            || !TryReadRestrictions(ref bits, vendorId, out var notAllowed, out var toConsent, out var toLi))
        {
            return TcfStatus.Malformed;
        }

        // The segments after the core: each starts with its type.
        var hasDisclosed = false;
        var disclosed = false;
        var rest = dot < 0 ? default : text[(dot + 1)..];
        while (dot >= 0)
        {
            dot = rest.IndexOf((byte)'.');
            var segment = dot < 0 ? rest : rest[..dot];
            rest = dot < 0 ? default : rest[(dot + 1)..];
            if (segment.IsEmpty || !Base64UrlBits.IsValid(segment))
            {
                return TcfStatus.Malformed;
            }

            var segmentBits = new Base64UrlBits(segment);
            if (!segmentBits.TryReadInt(SegmentTypeBits, out var type))
            {
                return TcfStatus.Malformed;
            }

            if (type == DisclosedVendorsSegment)
            {
                if (!TryReadVendorSet(ref segmentBits, vendorId, out var inSegment))
                {
                    return TcfStatus.Malformed;
                }

                hasDisclosed = true;
                disclosed |= inSegment;
            }
        }

        // TCF v2.3 (policy version 5) makes the disclosed-vendors segment mandatory.
        if (policyVersion >= 5 && !hasDisclosed)
        {
            return TcfStatus.MissingDisclosedVendors;
        }

        consent = new TcfConsent
        {
            Version = version,
            PolicyVersion = policyVersion,
            CmpId = cmpId,
            CmpVersion = cmpVersion,
            VendorListVersion = vendorListVersion,
            IsServiceSpecific = serviceSpecific,
            SpecialFeatureOptIns = (ushort)specialFeatures,
            PurposesConsent = purposesConsent,
            PurposesLegitimateInterest = purposesLi,
            VendorId = vendorId,
            VendorConsent = vendorConsent,
            VendorLegitimateInterest = vendorLi,
            HasDisclosedVendors = hasDisclosed,
            VendorDisclosed = disclosed,
            RestrictedNotAllowed = notAllowed,
            RestrictedToConsent = toConsent,
            RestrictedToLegitimateInterest = toLi,
        };
        return TcfStatus.Valid;
    }

    /// <summary>A field of <paramref name="count"/> flags, the first for number 1: into a set with bit n-1 for number n.</summary>
    private static bool TryReadNumberedBits(ref Base64UrlBits bits, int count, out uint set)
    {
        if (!bits.TryRead(count, out var raw))
        {
            set = 0;
            return false;
        }

        uint result = 0;
        for (var i = 0; i < count; i++)
        {
            if ((raw & (1L << (count - 1 - i))) != 0)
            {
                result |= 1u << i;
            }
        }

        set = result;
        return true;
    }

    /// <summary>
    /// A vendor set (vendor consents, vendor legitimate interests, disclosed vendors): MaxVendorId,
    /// then a bit field of that many bits or a list of single ids and ranges. Leaves the reader
    /// after the set; <paramref name="contains"/> tells whether <paramref name="vendorId"/> is in it.
    /// </summary>
    internal static bool TryReadVendorSet(ref Base64UrlBits bits, int vendorId, out bool contains)
    {
        contains = false;
        if (!bits.TryReadInt(16, out var maxVendorId) || !bits.TryReadBit(out var isRange))
        {
            return false;
        }

        if (!isRange)
        {
            if (maxVendorId > bits.Remaining)
            {
                return false;
            }

            contains = vendorId >= 1 && vendorId <= maxVendorId && bits.BitAt(bits.Position + vendorId - 1);
            return bits.TrySkip(maxVendorId);
        }

        return TryReadRanges(ref bits, vendorId, maxVendorId, out contains);
    }

    /// <summary>NumEntries, then each entry: IsARange, a start id and, for a range, an end id; every id in 1..<paramref name="maxId"/>.</summary>
    private static bool TryReadRanges(ref Base64UrlBits bits, int vendorId, int maxId, out bool contains)
    {
        contains = false;
        if (!bits.TryReadInt(12, out var entries))
        {
            return false;
        }

        for (var i = 0; i < entries; i++)
        {
            if (!bits.TryReadBit(out var isRange) || !bits.TryReadInt(16, out var start))
            {
                return false;
            }

            var end = start;
            if (isRange && !bits.TryReadInt(16, out end))
            {
                return false;
            }

            if (start < 1 || end < start || end > maxId)
            {
                return false;
            }

            contains |= vendorId >= start && vendorId <= end;
        }

        return true;
    }

    /// <summary>
    /// The publisher restrictions: NumPubRestrictions, then per restriction a purpose, a type and a
    /// range list of vendors. Only those naming <paramref name="vendorId"/> are kept, as purpose sets.
    /// A string cut right after the vendor sections (no room for the count) has none.
    /// </summary>
    private static bool TryReadRestrictions(ref Base64UrlBits bits, int vendorId, out uint notAllowed, out uint toConsent, out uint toLi)
    {
        notAllowed = toConsent = toLi = 0;
        if (bits.Remaining < 12)
        {
            return true;
        }

        bits.TryReadInt(12, out var count);
        for (var i = 0; i < count; i++)
        {
            if (!bits.TryReadInt(6, out var purpose) || !bits.TryReadInt(2, out var type)
                || !TryReadRanges(ref bits, vendorId, MaxVendorId, out var names))
            {
                return false;
            }

            if (!names || purpose is < 1 or > 24)
            {
                continue;
            }

            var bit = 1u << (purpose - 1);
            switch (type)
            {
                case 0:
                    notAllowed |= bit;
                    break;
                case 1:
                    toConsent |= bit;
                    break;
                case 2:
                    toLi |= bit;
                    break;
            }
        }

        return true;
    }
}
