using MessagePack;

namespace BidEngine.Core.Events;

/// <summary>The user clicked the ad of a won impression. Repeated clicks on one impression count once in training.</summary>
[MessagePackObject]
public sealed class ClickEvent : EventRecord
{
}
