using BidEngine.Core.Supply;

namespace BidEngine.Core.Traffic;

/// <summary>
/// How each traffic and supply check runs (its <see cref="TrafficMode"/>) and the limits they use,
/// made by the server from <c>Traffic</c> and <c>Supply</c> settings. Every check is off by default.
/// </summary>
public sealed class TrafficRules
{
    private readonly TrafficMode[] _modes = new TrafficMode[Enum.GetValues<TrafficCheck>().Length];

    public TrafficMode this[TrafficCheck check]
    {
        get => _modes[(int)check];
        set => _modes[(int)check] = value;
    }

    /// <summary>True when any check runs.</summary>
    public bool AnyOn => _modes.Any(m => m != TrafficMode.Off);

    /// <summary>Requests one address (an IPv6 /64) may send in the window before <see cref="TrafficReason.IpRate"/>.</summary>
    public int MaxRequestsPerIp { get; set; } = 1000;

    /// <summary>Requests one user id may send in the window before <see cref="TrafficReason.UserRate"/>.</summary>
    public int MaxRequestsPerUser { get; set; } = 300;

    /// <summary>The rate window, whole seconds.</summary>
    public int RateWindowSeconds { get; set; } = 10;

    /// <summary>Counters per row of each rate sketch.</summary>
    public int SketchWidth { get; set; } = 32768;

    /// <summary>Rows of each rate sketch.</summary>
    public int SketchDepth { get; set; } = 4;

    /// <summary>The bidder's supply-chain policy, for requests whose exchange has none of its own.</summary>
    public SupplyChainPolicy SupplyChain { get; set; } = new();

    /// <summary>A node whose system has no sellers.json in the folder: true skips it, false refuses the request.</summary>
    public bool BidWhenSellersFileMissing { get; set; } = true;

    /// <summary>Refuse sellers that sellers.json lists as confidential.</summary>
    public bool RefuseConfidentialSellers { get; set; }

    /// <summary>A site or app without ads.txt / app-ads.txt in the folder (or a request naming no seller): true bids, false refuses.</summary>
    public bool BidWhenAdsTxtMissing { get; set; } = true;
}
