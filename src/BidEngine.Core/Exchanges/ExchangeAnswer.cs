namespace BidEngine.Core.Exchanges;

/// <summary>How one request from an exchange ended, as the exchange saw it.</summary>
public enum ExchangeAnswer
{
    /// <summary>Answered in time with a bid.</summary>
    Bid,

    /// <summary>Answered in time with no bid (including a shed 204: the exchange gets a prompt, valid answer).</summary>
    NoBid,

    /// <summary>Answered after the exchange's tmax: worth nothing, and counted against the bidder like an error.</summary>
    Late,

    /// <summary>A 5xx, or a 4xx the bidder gave to a request the exchange thinks is fine: an error in the exchange's eyes.</summary>
    Error,
}
