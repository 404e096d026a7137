namespace BidEngine.Core.Exchanges;

/// <summary>Which of a bid's notices the exchange fires when the impression is billable, so the bidder spends on it.</summary>
public enum BillingNoticeField
{
    /// <summary><c>burl</c> (OpenRTB 2.5+): fired when the impression is billable; <c>nurl</c> means "won" only.</summary>
    Burl,

    /// <summary><c>nurl</c>: for exchanges that fire only the win notice and bill on it.</summary>
    Nurl,
}
