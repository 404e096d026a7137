using BidEngine.Core.Pipeline;
using MessagePack;

namespace BidEngine.Core.Events;

/// <summary>
/// A request answered without a bid (sampled by <c>EventLog:SampleNoBids</c>). <see cref="EventRecord.ImpId"/>,
/// campaign and creative are empty: the record is about the whole request.
/// </summary>
[MessagePackObject]
public sealed class NoBidEvent : EventRecord
{
    /// <summary>How the answer was decided: no candidates, no time, or scored with every price below the floor.</summary>
    [Key(5)]
    public ScoringPath ScoringPath { get; set; }

    /// <summary>Microseconds from the request's arrival to the decision.</summary>
    [Key(6)]
    public long DecisionMicros { get; set; }

    /// <summary>
    /// What the privacy step decided, as a <see cref="Privacy.PrivacyReason"/>: a no-bid reason
    /// (ConsentMissing ... ConsentMissingInEea) when consent refused the request. None in logs written before it was added.
    /// </summary>
    [Key(7)]
    public Privacy.PrivacyReason PrivacyReason { get; set; }

    /// <summary>
    /// Why the traffic step refused the request (a <see cref="Traffic.TrafficReason"/>), or what a
    /// report-only check found; None in logs written before it was added.
    /// </summary>
    [Key(8)]
    public Traffic.TrafficReason TrafficReason { get; set; }
}
