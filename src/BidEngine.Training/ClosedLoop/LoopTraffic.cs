using System.Collections.Concurrent;

namespace BidEngine.Training.ClosedLoop;

/// <summary>What the loop sent and what the simulated exchange and users did, counted by the loop itself.</summary>
internal sealed class LoopTraffic
{
    public long Requests;
    public long Bids;
    public long NoBids;
    public long Failed;
    public long Won;
    public long Lost;
    public long WinNotices;
    public long Billed;
    public long LossNotices;
    public long Clicks;
    public long ClicksWithoutUrl;

    /// <summary>Notices the bidder answered with something other than 2xx, and URLs not on the bidder (not called).</summary>
    public long NoticesRefused;
    public long NoticesNotOnBidder;

    /// <summary>Bids for a campaign or creative the simulated world does not have (the bidder runs other campaigns).</summary>
    public long UnknownBids;

    /// <summary>The true click probability of every bid's impression, by request id.</summary>
    public ConcurrentDictionary<string, float> Truth { get; } = new(StringComparer.Ordinal);

    /// <summary>Request ids of the impressions billed, and of those clicked (the bidder answered 2xx to both).</summary>
    public ConcurrentBag<string> BilledRequests { get; } = [];

    public ConcurrentBag<string> ClickedRequests { get; } = [];
}
