namespace BidEngine.Core.Exchanges;

/// <summary>Where an exchange's kill switch stands.</summary>
public enum ExchangeHealthState
{
    /// <summary>Traffic is served.</summary>
    Serving,

    /// <summary>The error and late share crossed the profile's threshold: the exchange's requests get a cheap no-bid until the cool-down ends.</summary>
    Tripped,

    /// <summary>Cool-down over: a share of the traffic is served again to see whether the bidder keeps up.</summary>
    Probing,

    /// <summary>Switched off by an operator: every request gets a cheap no-bid until switched back on.</summary>
    Disabled,
}
