namespace BidEngine.Core.Privacy;

/// <summary>How consent strings are read. Bound from <c>BidEngine:Privacy</c>.</summary>
public sealed class PrivacyOptions
{
    /// <summary>
    /// Our id in the IAB Global Vendor List: the vendor whose consent, legitimate interest,
    /// disclosure and publisher restrictions are read from TC strings. 0: no id (the bidder is not
    /// registered): only the purpose-level signals are checked.
    /// </summary>
    public int VendorId { get; set; }

    /// <summary>
    /// What a request without <c>regs.gdpr</c> (and without GPP section 2) means. OpenRTB 2.6 reads the
    /// omission as "unknown". <see cref="UnsignalledGdpr.DoesNotApply"/> (the default) trusts the
    /// exchange to signal GDPR where it applies; <see cref="UnsignalledGdpr.AppliesInEea"/> treats such a
    /// request as under GDPR when its country (<c>device.geo</c>, else <c>user.geo</c>) is in the EEA,
    /// the UK or Switzerland, so it needs a TC string like any signalled one.
    /// </summary>
    public UnsignalledGdpr GdprWhenUnsignalled { get; set; } = UnsignalledGdpr.DoesNotApply;

    public IEnumerable<string> Validate()
    {
        if (VendorId is < 0 or > TcfDecoder.MaxVendorId)
        {
            yield return $"BidEngine:Privacy:VendorId must be a GVL vendor id in 1..{TcfDecoder.MaxVendorId}, or 0 for none (found {VendorId})";
        }

        if (!Enum.IsDefined(GdprWhenUnsignalled))
        {
            yield return "BidEngine:Privacy:GdprWhenUnsignalled must be DoesNotApply or AppliesInEea";
        }
    }
}
