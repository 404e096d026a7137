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
}
