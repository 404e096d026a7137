namespace BidEngine.Core.Traffic;

/// <summary>
/// What the traffic and supply checks made of one request: the reason of the check that refused it
/// (None: bid as usual), and the first reason a report-only check found (counted and logged, no effect).
/// </summary>
public readonly record struct TrafficDecision(TrafficReason Refused, TrafficReason Reported)
{
    public bool MayBid => Refused == TrafficReason.None;

    /// <summary>The reason the bid log carries: the refusal, else what a report-only check found.</summary>
    public TrafficReason Logged => Refused != TrafficReason.None ? Refused : Reported;

    /// <summary>OpenRTB <c>nbr</c> for the refusal; 0 when the request may bid.</summary>
    public int NoBidReasonCode => TrafficReasons.NoBidReason(Refused);
}
