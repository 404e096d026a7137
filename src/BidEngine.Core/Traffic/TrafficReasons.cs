namespace BidEngine.Core.Traffic;

/// <summary>Each <see cref="TrafficReason"/>'s check and OpenRTB no-bid reason.</summary>
public static class TrafficReasons
{
    /// <summary>OpenRTB 5.24: 3 known web spider.</summary>
    public const int KnownWebSpider = 3;

    /// <summary>OpenRTB 5.24: 4 suspected non-human traffic.</summary>
    public const int SuspectedNonHuman = 4;

    /// <summary>OpenRTB 5.24: 5 cloud, data centre or proxy IP.</summary>
    public const int DataCentreIp = 5;

    /// <summary>OpenRTB 5.24: 7 blocked publisher or site (the site's own ads.txt does not authorise the seller).</summary>
    public const int BlockedPublisherOrSite = 7;

    /// <summary>Ours (500+, the parties' range): the supply chain does not meet the policy.</summary>
    public const int SupplyChainRefused = 502;

    /// <summary>Ours: a seller of the chain is not in its system's sellers.json, or not as its place needs.</summary>
    public const int SellerNotAuthorised = 503;

    public static TrafficCheck CheckOf(TrafficReason reason) => reason switch
    {
        TrafficReason.MissingUserAgent => TrafficCheck.MissingUserAgent,
        TrafficReason.ImpossibleUserAgent => TrafficCheck.ImpossibleUserAgent,
        TrafficReason.MissingIp => TrafficCheck.MissingIp,
        TrafficReason.ImpossibleIp => TrafficCheck.ImpossibleIp,
        TrafficReason.ZeroAdId => TrafficCheck.ZeroAdId,
        TrafficReason.DataCentreIp => TrafficCheck.DataCentre,
        TrafficReason.KnownBot => TrafficCheck.KnownBot,
        TrafficReason.IpRate => TrafficCheck.IpRate,
        TrafficReason.UserRate => TrafficCheck.UserRate,
        >= TrafficReason.SchainMissing and < TrafficReason.SellersFileMissing => TrafficCheck.SupplyChain,
        >= TrafficReason.SellersFileMissing and < TrafficReason.AdsTxtFileMissing => TrafficCheck.Sellers,
        _ => TrafficCheck.AdsTxt,
    };

    /// <summary>The <c>nbr</c> a refusal for <paramref name="reason"/> is answered with; 0 for none.</summary>
    public static int NoBidReason(TrafficReason reason) => reason switch
    {
        TrafficReason.None => 0,
        TrafficReason.KnownBot => KnownWebSpider,
        TrafficReason.DataCentreIp => DataCentreIp,
        < TrafficReason.SchainMissing => SuspectedNonHuman,
        < TrafficReason.SellersFileMissing => SupplyChainRefused,
        < TrafficReason.AdsTxtFileMissing => SellerNotAuthorised,
        _ => BlockedPublisherOrSite,
    };

    /// <summary>Every reason but None, in order.</summary>
    public static TrafficReason[] All { get; } = [.. Enum.GetValues<TrafficReason>().Where(r => r != TrafficReason.None)];
}
