using MessagePack;

namespace BidEngine.Core.Events;

/// <summary>The ad was rendered (billing notice or impression pixel); the price actually paid.</summary>
[MessagePackObject]
public sealed class ImpressionEvent : EventRecord
{
    /// <summary>The price paid, CPM in USD.</summary>
    [Key(5)]
    public double PriceCpm { get; set; }
}
