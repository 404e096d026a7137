using MessagePack;

namespace BidEngine.Core.Events;

/// <summary>
/// One record of the event log: what the bidder did and what came of it. The union tag written
/// before each record says which type follows, so one stream holds them all in time order.
/// Keys 0..4 are common to every record; each type adds its own from 5. Never reuse a key or a
/// union tag: old logs must stay readable.
/// </summary>
[Union(0, typeof(BidEvent))]
[Union(1, typeof(WinEvent))]
[Union(2, typeof(ImpressionEvent))]
[Union(3, typeof(ClickEvent))]
[Union(4, typeof(NoBidEvent))]
[Union(5, typeof(LossEvent))]
[Union(6, typeof(DroppedEvent))]
public abstract class EventRecord
{
    /// <summary><c>request.id</c> of the bid request.</summary>
    [Key(0)]
    public string RequestId { get; set; } = "";

    /// <summary><c>imp.id</c> within the request.</summary>
    [Key(1)]
    public string ImpId { get; set; } = "";

    /// <summary>When it happened, milliseconds since the Unix epoch, UTC.</summary>
    [Key(2)]
    public long TimestampUnixMs { get; set; }

    [Key(3)]
    public string CampaignId { get; set; } = "";

    [Key(4)]
    public string CreativeId { get; set; } = "";

    /// <summary>The key joining a bid to its win, impression and clicks.</summary>
    [IgnoreMember]
    public (string RequestId, string ImpId) JoinKey => (RequestId, ImpId);

    [IgnoreMember]
    public DateTime Timestamp => DateTime.UnixEpoch.AddMilliseconds(TimestampUnixMs);

    public static long ToUnixMs(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
}
