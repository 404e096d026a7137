namespace BidEngine.Core.Traffic;

/// <summary>
/// The checks, each with its own mode, in the order they run (cheapest first; a request refused by one
/// is not seen by the checks after it). The name in snake case is the <c>check</c> label at <c>/metrics</c>.
/// </summary>
public enum TrafficCheck : byte
{
    MissingUserAgent,
    ImpossibleUserAgent,
    MissingIp,
    ImpossibleIp,
    ZeroAdId,
    DataCentre,
    KnownBot,
    SupplyChain,
    Sellers,
    AdsTxt,
    IpRate,
    UserRate,
}
