using MessagePack;

namespace BidEngine.Core.Events;

/// <summary>The exchange's win notice for a bid: the auction was won at <see cref="PriceCpm"/>.</summary>
[MessagePackObject]
public sealed class WinEvent : EventRecord
{
    /// <summary>The clearing price (<c>${AUCTION_PRICE}</c>), CPM in USD.</summary>
    [Key(5)]
    public double PriceCpm { get; set; }
}
