namespace BidEngine.Core.Events;

/// <summary>The kinds of record the event log counts apart (label <c>type</c> of its metrics).</summary>
public enum EventRecordType
{
    Bid = 0,
    NoBid,
    Win,
    Bill,
    Loss,
    Click,
}
