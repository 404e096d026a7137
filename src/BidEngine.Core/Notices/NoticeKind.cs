namespace BidEngine.Core.Notices;

/// <summary>What a notice reports about a bid that won.</summary>
public enum NoticeKind
{
    /// <summary>The impression became billable (the exchange called <c>burl</c>).</summary>
    Impression = 1,

    /// <summary>The ad was clicked.</summary>
    Click,
}
