using BidEngine.Core.Supply;
using BidEngine.Core.Traffic;

namespace BidEngine.Server.Options;

/// <summary>
/// The supply-chain checks, bound from <c>BidEngine:Supply</c>: each Off, ReportOnly or On, all Off
/// unless set. The operator keeps the files in <see cref="Folder"/>: <c>sellers/{domain}.json</c>,
/// <c>ads-txt/{domain}.txt</c>, <c>app-ads-txt/{bundle}.txt</c>; the bidder never fetches them, and
/// reloads the folder when it changes. See docs/traffic-quality.md.
/// </summary>
public sealed class SupplyOptions
{
    /// <summary>The chain against <see cref="Policy"/> (or the exchange's <c>SupplyChain</c>): nbr 502.</summary>
    public TrafficMode SupplyChain { get; set; }

    /// <summary>The bidder's supply-chain policy; an exchange profile's <c>SupplyChain</c> replaces it for that exchange.</summary>
    public SupplyChainPolicy Policy { get; set; } = new();

    /// <summary>Every node's seller in its system's sellers.json, of the type its place needs: nbr 503.</summary>
    public TrafficMode Sellers { get; set; }

    /// <summary>A node whose system has no sellers.json in the folder: Bid (skip the node) or NoBid.</summary>
    public MissingFilePolicy WhenSellersFileMissing { get; set; } = MissingFilePolicy.Bid;

    /// <summary>Refuse sellers listed as confidential (<c>is_confidential</c> 1, name and domain withheld).</summary>
    public bool RefuseConfidentialSellers { get; set; }

    /// <summary>The seller the exchange names authorised by the site's ads.txt or the app's app-ads.txt, with the right relationship: nbr 7.</summary>
    public TrafficMode AdsTxt { get; set; }

    /// <summary>A site or app without a file in the folder (or a request naming no seller): Bid or NoBid.</summary>
    public MissingFilePolicy WhenAdsTxtMissing { get; set; } = MissingFilePolicy.Bid;

    /// <summary>The folder of sellers.json and ads.txt files; a relative path is taken from the config folder. A missing folder holds no files.</summary>
    public string Folder { get; set; } = "supply";

    /// <summary>Reload the folder when a file in it changes (no restart); a load that fails is refused and logged.</summary>
    public bool WatchFiles { get; set; } = true;

    public string SellersFolder => Path.Combine(Folder, "sellers");

    public string AdsTxtFolder => Path.Combine(Folder, "ads-txt");

    public string AppAdsTxtFolder => Path.Combine(Folder, "app-ads-txt");

    public IEnumerable<string> Validate()
    {
        foreach (var (name, mode) in new[] { (nameof(SupplyChain), SupplyChain), (nameof(Sellers), Sellers), (nameof(AdsTxt), AdsTxt) })
        {
            if (!Enum.IsDefined(mode))
            {
                yield return $"BidEngine:Supply:{name} must be Off, ReportOnly or On";
            }
        }

        if (!Enum.IsDefined(WhenSellersFileMissing) || !Enum.IsDefined(WhenAdsTxtMissing))
        {
            yield return "BidEngine:Supply:WhenSellersFileMissing and WhenAdsTxtMissing must be Bid or NoBid";
        }

        foreach (var error in Policy.Validate("BidEngine:Supply:Policy"))
        {
            yield return error;
        }

        if ((Sellers != TrafficMode.Off || AdsTxt != TrafficMode.Off) && string.IsNullOrWhiteSpace(Folder))
        {
            yield return "BidEngine:Supply:Folder must name the folder of sellers.json and ads.txt files while BidEngine:Supply:Sellers or AdsTxt is not Off";
        }
    }
}
