namespace BidEngine.Core.Exchanges;

/// <summary>What the exchange puts in place of <c>${AUCTION_PRICE}</c> (<see cref="ExchangeProfile.PriceMacro"/>).</summary>
public enum PriceEncoding
{
    /// <summary>The clearing price as a plain decimal CPM, e.g. <c>1.25</c>.</summary>
    Plain,

    /// <summary>
    /// The clearing price encrypted and signed under the exchange's keys (<see cref="EncryptedPriceKeys"/>):
    /// 38 characters of web-safe base64. Only the exchange can make one; a plain number is refused.
    /// </summary>
    Encrypted,
}
