using MessagePack;

namespace BidEngine.Core.Events;

/// <summary>
/// Written by the log's writer, never by a request: how many records of each type were dropped
/// since the previous one (queue full, too large, write failed), so that a folder read alone says
/// what it is missing. Request, imp, campaign and creative are empty.
/// </summary>
[MessagePackObject]
public sealed class DroppedEvent : EventRecord
{
    /// <summary>Dropped records by <see cref="EventRecordType"/> (index = the type's value).</summary>
    [Key(5)]
    public long[] Counts { get; set; } = [];
}
