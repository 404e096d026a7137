namespace BidEngine.Core.Privacy;

/// <summary>
/// What a TC string says, as far as one vendor (ours) is concerned: the purpose and special-feature
/// signals, our vendor's consent and legitimate-interest bits, whether we were disclosed, and the
/// publisher's restrictions on us. Purposes and special features are bit sets, bit <c>n - 1</c> for
/// number <c>n</c>. A value type filled by <see cref="TcfDecoder"/>: 0 B.
/// </summary>
public readonly record struct TcfConsent
{
    /// <summary>Purposes for which a vendor may rely on legitimate interest since TCF v2.2: 2 and 7-11 (never 1, nor 3-6).</summary>
    public const uint LegitimateInterestPurposes = (1u << 1) | (0b11111u << 6);

    public int Version { get; init; }

    /// <summary>TCF policy version: 4 for TCF v2.2, 5 for v2.3.</summary>
    public int PolicyVersion { get; init; }

    public int CmpId { get; init; }

    public int CmpVersion { get; init; }

    public int VendorListVersion { get; init; }

    public bool IsServiceSpecific { get; init; }

    public ushort SpecialFeatureOptIns { get; init; }

    public uint PurposesConsent { get; init; }

    public uint PurposesLegitimateInterest { get; init; }

    /// <summary>The vendor asked about; 0: none (vendor bits, disclosure and restrictions are not read).</summary>
    public int VendorId { get; init; }

    public bool VendorConsent { get; init; }

    public bool VendorLegitimateInterest { get; init; }

    /// <summary>The string carries a disclosed-vendors segment (mandatory from TCF v2.3).</summary>
    public bool HasDisclosedVendors { get; init; }

    /// <summary>The vendor is in the disclosed-vendors segment; false when there is none.</summary>
    public bool VendorDisclosed { get; init; }

    /// <summary>Purposes the publisher does not allow for the vendor.</summary>
    public uint RestrictedNotAllowed { get; init; }

    /// <summary>Purposes for which the publisher requires the vendor to use consent.</summary>
    public uint RestrictedToConsent { get; init; }

    /// <summary>Purposes for which the publisher requires the vendor to use legitimate interest.</summary>
    public uint RestrictedToLegitimateInterest { get; init; }

    public bool HasPurposeConsent(int purpose) => Bit(PurposesConsent, purpose);

    public bool HasPurposeLegitimateInterest(int purpose) => Bit(PurposesLegitimateInterest, purpose);

    public bool HasSpecialFeatureOptIn(int feature) => feature is >= 1 and <= 12 && (SpecialFeatureOptIns & (1 << (feature - 1))) != 0;

    public TcfRestriction Restriction(int purpose) =>
        Bit(RestrictedNotAllowed, purpose) ? TcfRestriction.NotAllowed
        : Bit(RestrictedToConsent, purpose) ? TcfRestriction.RequireConsent
        : Bit(RestrictedToLegitimateInterest, purpose) ? TcfRestriction.RequireLegitimateInterest
        : TcfRestriction.None;

    /// <summary>
    /// The vendor may process for <paramref name="purpose"/> on consent: the user consented to the
    /// purpose and to the vendor, and the publisher neither forbids the purpose nor requires LI.
    /// Without a vendor id only the purpose is checked.
    /// </summary>
    public bool HasConsentBasis(int purpose)
    {
        var restriction = Restriction(purpose);
        return HasPurposeConsent(purpose)
            && (VendorId == 0 || VendorConsent)
            && restriction is not TcfRestriction.NotAllowed and not TcfRestriction.RequireLegitimateInterest;
    }

    /// <summary>
    /// The vendor may process for <paramref name="purpose"/> on legitimate interest: the purpose
    /// allows it (2, 7-11), transparency was given for the purpose and the vendor, the user did not
    /// object, the vendor was disclosed when the string lists who was, and the publisher neither
    /// forbids the purpose nor requires consent.
    /// </summary>
    public bool HasLegitimateInterestBasis(int purpose)
    {
        var restriction = Restriction(purpose);
        return Bit(LegitimateInterestPurposes, purpose)
            && HasPurposeLegitimateInterest(purpose)
            && (VendorId == 0 || (VendorLegitimateInterest && (!HasDisclosedVendors || VendorDisclosed)))
            && restriction is not TcfRestriction.NotAllowed and not TcfRestriction.RequireConsent;
    }

    public bool HasLegalBasis(int purpose) => HasConsentBasis(purpose) || HasLegitimateInterestBasis(purpose);

    private static bool Bit(uint set, int number) => number is >= 1 and <= 24 && (set & (1u << (number - 1))) != 0;
}
