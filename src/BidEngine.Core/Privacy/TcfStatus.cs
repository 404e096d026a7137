namespace BidEngine.Core.Privacy;

/// <summary>What came of decoding a TC string.</summary>
public enum TcfStatus : byte
{
    /// <summary>Decoded; the <see cref="TcfConsent"/> holds what it says.</summary>
    Valid,

    /// <summary>Empty, not base64url, cut short, or a field out of its range.</summary>
    Malformed,

    /// <summary>A core segment of a version other than 2.</summary>
    UnsupportedVersion,

    /// <summary>A TCF v2.3 string (policy version 5 or later) without its mandatory disclosed-vendors segment.</summary>
    MissingDisclosedVendors,
}
