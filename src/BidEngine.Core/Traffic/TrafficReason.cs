namespace BidEngine.Core.Traffic;

/// <summary>
/// Why a traffic or supply check refused (or, reporting only, would have refused) a request. Written
/// into the bid log as a number and counted at <c>/metrics</c>: append only, never renumber.
/// <see cref="TrafficReasons"/> gives each its check and its OpenRTB <c>nbr</c>.
/// </summary>
public enum TrafficReason : byte
{
    None = 0,

    // ---- invalid traffic ----

    /// <summary><c>device.ua</c> absent or empty.</summary>
    MissingUserAgent = 1,

    /// <summary>A user agent no client sends: too short or long, control characters, a placeholder.</summary>
    ImpossibleUserAgent = 2,

    /// <summary>Neither <c>device.ip</c> nor <c>device.ipv6</c>.</summary>
    MissingIp = 3,

    /// <summary>An address that does not parse, or one no device on the internet has (private, loopback, multicast...).</summary>
    ImpossibleIp = 4,

    /// <summary>An advertising id of zeros from a device that does not say <c>lmt</c> 1.</summary>
    ZeroAdId = 5,

    /// <summary>The address is in the operator's data-centre, cloud or proxy ranges.</summary>
    DataCentreIp = 6,

    /// <summary>The user agent matches the known-bot list.</summary>
    KnownBot = 7,

    /// <summary>More requests from this address (an IPv6 /64) in the window than allowed.</summary>
    IpRate = 8,

    /// <summary>More requests for this user id in the window than allowed.</summary>
    UserRate = 9,

    // ---- supply chain (the policy of the exchange, or the bidder's) ----

    /// <summary>The policy needs a supply chain and the request has none.</summary>
    SchainMissing = 20,

    /// <summary>The policy needs a complete chain (<c>complete</c> 1).</summary>
    SchainIncomplete = 21,

    /// <summary>More nodes than the policy's most hops.</summary>
    SchainTooManyHops = 22,

    /// <summary>The policy takes only direct sellers: one node, complete.</summary>
    SchainNotDirect = 23,

    /// <summary>A node without <c>asi</c> or <c>sid</c>, or without <c>hp</c> 0 or 1 (required by SupplyChain 1.0).</summary>
    SchainMalformed = 24,

    // ---- sellers.json ----

    /// <summary>No sellers.json for a node's advertising system, and the policy is not to bid then.</summary>
    SellersFileMissing = 30,

    /// <summary>The node's <c>sid</c> is not in its advertising system's sellers.json.</summary>
    SellerNotListed = 31,

    /// <summary>The seller's <c>seller_type</c> does not fit its place: the first node of a complete chain is the publisher (PUBLISHER or BOTH), later nodes intermediaries (INTERMEDIARY or BOTH).</summary>
    SellerTypeMismatch = 32,

    /// <summary>The seller is confidential (<c>is_confidential</c> 1) and the policy refuses those.</summary>
    SellerConfidential = 33,

    // ---- ads.txt / app-ads.txt ----

    /// <summary>No ads.txt (or app-ads.txt) for the site (or app), and the policy is not to bid then.</summary>
    AdsTxtFileMissing = 40,

    /// <summary>The request names no seller to look up: no supply chain, and no exchange domain or publisher id.</summary>
    AdsTxtNoSeller = 41,

    /// <summary>The file does not list the seller's advertising system and account id.</summary>
    AdsTxtNotListed = 42,

    /// <summary>The file lists the seller, but as DIRECT where it resells, or RESELLER where it is the publisher's own account.</summary>
    AdsTxtWrongRelationship = 43,
}
