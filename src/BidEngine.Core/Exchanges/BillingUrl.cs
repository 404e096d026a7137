namespace BidEngine.Core.Exchanges;

/// <summary>Which of a bid's notices the exchange fires when the impression becomes billable (<see cref="ExchangeProfile.BillOn"/>).</summary>
public enum BillingUrl
{
    /// <summary>The OpenRTB 2.5+ way: <c>burl</c> bills, <c>nurl</c> only says the bid won.</summary>
    Burl,

    /// <summary>
    /// The exchange fires only the win notice and that is the billable event: the bid's <c>nurl</c>
    /// carries a billing token (it spends once and counts as the win) and the bid has no <c>burl</c>.
    /// </summary>
    Nurl,
}
