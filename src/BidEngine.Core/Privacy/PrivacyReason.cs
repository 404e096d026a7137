namespace BidEngine.Core.Privacy;

/// <summary>
/// Why the privacy step limited a request: the first signal that set its strongest limit. Written
/// into the bid log as a number and counted at <c>/metrics</c>: append only, never renumber.
/// </summary>
public enum PrivacyReason : byte
{
    /// <summary>Nothing limited the request.</summary>
    None = 0,

    // ---- no bid (GDPR applies) ----

    /// <summary>GDPR applies and no TC string came (neither <c>user.consent</c> nor GPP section 2).</summary>
    ConsentMissing = 1,

    /// <summary>GDPR applies and the TC string does not decode, or is of another version.</summary>
    ConsentUnreadable = 2,

    /// <summary>A TCF v2.3 string without its disclosed-vendors segment.</summary>
    DisclosedVendorsMissing = 3,

    /// <summary>No legal basis (consent or legitimate interest) for Purpose 2, basic ads.</summary>
    NoBasicAdsBasis = 4,

    /// <summary>
    /// The request said nothing about GDPR, comes from the EEA, the UK or Switzerland, and
    /// <c>Privacy:GdprWhenUnsignalled</c> is <c>AppliesInEea</c>; no TC string came.
    /// </summary>
    ConsentMissingInEea = 5,

    // ---- bid without user data ----

    /// <summary>No consent for Purpose 1 (device storage), 3 or 4 (personalised ads profile and selection).</summary>
    NoPersonalisationConsent = 10,

    /// <summary><c>regs.coppa</c> 1: a child-directed request.</summary>
    Coppa = 11,

    /// <summary><c>device.lmt</c> 1: limit ad tracking.</summary>
    LimitAdTracking = 12,

    /// <summary>The US Privacy string says the user opted out of sale.</summary>
    UsPrivacyOptOut = 13,

    /// <summary>A GPP US section that applies says the user opted out of sale, sharing or targeted advertising.</summary>
    GppOptOut = 14,

    /// <summary>A GPP string that applies to the request does not decode: read as an opt-out.</summary>
    GppUnreadable = 15,

    // ---- bid with user data, without precise geolocation ----

    /// <summary>No opt-in for TCF Special Feature 1 (precise geolocation).</summary>
    NoPreciseGeoConsent = 20,
}
