namespace BidEngine.Core.Exchanges;

/// <summary>How an exchange fills <c>${AUCTION_PRICE}</c> in the notices it fires.</summary>
public enum PriceMacroEncoding
{
    /// <summary>A plain decimal CPM (OpenRTB's default; Prebid Server and most exchanges).</summary>
    Plain,

    /// <summary>Encrypted and signed with the exchange's two keys (<see cref="EncryptedPriceKeys"/>), in micros of the bid's currency.</summary>
    Encrypted,
}
