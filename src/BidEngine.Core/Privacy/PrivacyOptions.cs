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

    public IEnumerable<string> Validate()
    {
        if (VendorId is < 0 or > TcfDecoder.MaxVendorId)
        {
            yield return $"BidEngine:Privacy:VendorId must be a GVL vendor id in 1..{TcfDecoder.MaxVendorId}, or 0 for none (found {VendorId})";
        }
    }
}
