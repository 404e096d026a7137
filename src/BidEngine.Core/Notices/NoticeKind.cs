namespace BidEngine.Core.Notices;

/// <summary>What a notice reports about a bid. Bound into its token, so one kind's URL cannot be sent as another's.</summary>
public enum NoticeKind
{
    /// <summary>The impression became billable (the exchange called <c>burl</c>).</summary>
    Impression = 1,

    /// <summary>The ad was clicked (the click URL in the markup).</summary>
    Click,

    /// <summary>The bid won its auction (the exchange called <c>nurl</c>); no money moves until billing.</summary>
    Win,

    /// <summary>The bid lost (the exchange called <c>lurl</c>): its reservation is released.</summary>
    Loss,

    /// <summary>
    /// The bid won and the win is the billable event: the <c>nurl</c> of a bid for an exchange that
    /// bills on it (<see cref="Exchanges.BillingUrl.Nurl"/>). Taken at the win path; spends once and counts as the win.
    /// </summary>
    BillingWin,
}
