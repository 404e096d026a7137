using BidEngine.OpenRtb.Text;

namespace BidEngine.OpenRtb.Response;

/// <summary>
/// The bids chosen for one request, ready to be written. Pooled alongside the request it answers;
/// the bids' text is either the request's own (imp ids) or the campaigns' pre-encoded UTF-8.
/// </summary>
public sealed class BidResponse : IResettable
{
    public ReusableList<ResponseBid> Bids { get; } = new();

    /// <summary>The currency of every price in this response (ISO-4217, UTF-8).</summary>
    public byte[] Currency { get; set; } = "USD"u8.ToArray();

    /// <summary>OpenRTB no-bid reason (list 5.24) when there are no bids; 0 when none is given.</summary>
    public int NoBidReason { get; set; }

    public bool HasBids => Bids.Count > 0;

    public void Reset()
    {
        Bids.Clear();
        NoBidReason = 0;
    }
}
