namespace BidEngine.Core.Pricing;

/// <summary>
/// How <see cref="LearnedShading"/> learns each campaign's first-price factor from its win and loss
/// notices. Bound from <c>BidEngine:Pricing:Shading</c>; every setting is in the README's table.
/// </summary>
public sealed class ShadingOptions
{
    /// <summary>Learn the factor from outcomes (true) or always bid <see cref="PricingOptions.FirstPriceShading"/> (false).</summary>
    public bool Learn { get; set; } = true;

    /// <summary>Lowest factor ever bid, exploration included: a thin or odd market cannot talk the bidder down past it.</summary>
    public double MinFactor { get; set; } = 0.4;

    /// <summary>Highest factor ever bid, exploration included; below 1, since bidding the whole value keeps nothing.</summary>
    public double MaxFactor { get; set; } = 0.95;

    /// <summary>
    /// Price-bearing outcomes (wins, and losses to a higher bid), counted with forgetting, a campaign
    /// needs before its learned factor replaces <see cref="PricingOptions.FirstPriceShading"/>.
    /// </summary>
    public int MinObservations { get; set; } = 200;

    /// <summary>An outcome counts half as much after this many newer price-bearing outcomes of the same campaign.</summary>
    public int HalfLifeObservations { get; set; } = 2000;

    /// <summary>Most the factor moves on one outcome: n outcomes move it at most n × Step.</summary>
    public double Step { get; set; } = 0.002;

    /// <summary>
    /// Share of a campaign's first-price bids placed at a factor drawn around the learned one, while
    /// its outcomes come mostly without <c>${AUCTION_MIN_TO_WIN}</c>: a win or a loss only says on
    /// which side of the bid the market was, so without it the factors never tried stay unknown.
    /// Cheap: a factor 0.1 off the best one earns about 5–15% less on that bid in the simulated
    /// market, so a 0.1 share costs under 1% of the surplus.
    /// </summary>
    public double ExploreShare { get; set; } = 0.1;

    /// <summary>How far an exploring bid's factor may be from the learned one (uniform either side).</summary>
    public double ExploreWidth { get; set; } = 0.1;

    /// <summary>Campaigns with learning state (about 1.3 KiB each); others bid the fixed factor until reloads free room.</summary>
    public int MaxCampaigns { get; set; } = 10_000;

    public IEnumerable<string> Validate()
    {
        if (!(MinFactor > 0 && MinFactor <= 1))
        {
            yield return "BidEngine:Pricing:Shading:MinFactor must be in (0, 1]";
        }

        if (!(MaxFactor > 0 && MaxFactor <= 1))
        {
            yield return "BidEngine:Pricing:Shading:MaxFactor must be in (0, 1]";
        }

        if (MinFactor > MaxFactor)
        {
            yield return $"BidEngine:Pricing:Shading:MinFactor ({MinFactor}) is above BidEngine:Pricing:Shading:MaxFactor ({MaxFactor})";
        }

        if (HalfLifeObservations is < 10 or > 10_000_000)
        {
            yield return "BidEngine:Pricing:Shading:HalfLifeObservations must be 10–10000000";
        }
        else if (MinObservations < 1 || MinObservations >= HalfLifeObservations / Math.Log(2))
        {
            // With forgetting the count tops out at HalfLife / ln 2: a minimum above it is never reached.
            yield return $"BidEngine:Pricing:Shading:MinObservations must be at least 1 and below BidEngine:Pricing:Shading:HalfLifeObservations / ln 2 ({(int)(HalfLifeObservations / Math.Log(2))}), the most the forgetting count reaches";
        }

        if (!(Step > 0 && Step <= 1))
        {
            yield return "BidEngine:Pricing:Shading:Step must be in (0, 1]";
        }

        if (!(ExploreShare >= 0 && ExploreShare <= 0.5))
        {
            yield return "BidEngine:Pricing:Shading:ExploreShare must be in [0, 0.5]";
        }

        if (!(ExploreWidth >= 0 && ExploreWidth <= 0.5))
        {
            yield return "BidEngine:Pricing:Shading:ExploreWidth must be in [0, 0.5]";
        }

        if (MaxCampaigns is < 1 or > 10_000_000)
        {
            yield return "BidEngine:Pricing:Shading:MaxCampaigns must be 1–10000000";
        }
    }
}
