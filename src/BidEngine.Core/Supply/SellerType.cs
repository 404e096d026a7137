namespace BidEngine.Core.Supply;

/// <summary>A sellers.json <c>seller_type</c>, as flags: BOTH is publisher and intermediary.</summary>
[Flags]
public enum SellerType : byte
{
    /// <summary>Missing or not one of the three values.</summary>
    Unknown = 0,

    /// <summary>The inventory is the seller's own, and the system pays it directly: DIRECT in ads.txt.</summary>
    Publisher = 1,

    /// <summary>The seller resells others' inventory: RESELLER in ads.txt.</summary>
    Intermediary = 2,

    Both = Publisher | Intermediary,
}
