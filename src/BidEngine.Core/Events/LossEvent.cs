using MessagePack;

namespace BidEngine.Core.Events;

/// <summary>The exchange's loss notice for a bid (<c>lurl</c>): why it lost and, when told, the price that would have won.</summary>
[MessagePackObject]
public sealed class LossEvent : EventRecord
{
    /// <summary><c>${AUCTION_LOSS}</c>: the OpenRTB loss reason code (list 5.25); 0 when not given.</summary>
    [Key(5)]
    public int Reason { get; set; }

    /// <summary><c>${AUCTION_MIN_TO_WIN}</c>, CPM; null when the exchange did not say.</summary>
    [Key(6)]
    public double? MinToWinCpm { get; set; }
}
