namespace BidEngine.Core.Pricing;

/// <summary>How a predicted value becomes a bid. Bound from <c>BidEngine:Pricing</c>.</summary>
public sealed class PricingOptions
{
    /// <summary>
    /// Share of the expected value bid in a first-price auction (at = 1). Bidding the full value
    /// there pays all the surplus away; 0.85 keeps 15% while staying competitive.
    /// </summary>
    public double FirstPriceShading { get; set; } = 0.85;

    /// <summary>Share bid in a second-price auction (at = 2), where bidding the true value is the dominant strategy.</summary>
    public double SecondPriceShading { get; set; } = 1.0;

    /// <summary>Bids under this CPM (USD) are not worth the exchange's fees and are not sent.</summary>
    public double MinBidCpm { get; set; } = 0.01;

    /// <summary>Learning the first-price factor per campaign from win and loss notices; <see cref="FirstPriceShading"/> until a campaign has enough.</summary>
    public ShadingOptions Shading { get; set; } = new();

    public IEnumerable<string> Validate()
    {
        if (FirstPriceShading is <= 0 or > 1)
        {
            yield return "BidEngine:Pricing:FirstPriceShading must be in (0, 1]";
        }

        if (SecondPriceShading is <= 0 or > 1)
        {
            yield return "BidEngine:Pricing:SecondPriceShading must be in (0, 1]";
        }

        if (MinBidCpm < 0 || !double.IsFinite(MinBidCpm))
        {
            yield return "BidEngine:Pricing:MinBidCpm must be 0 or more";
        }

        foreach (var error in Shading.Validate())
        {
            yield return error;
        }

        // The learned factor starts from the fixed one and moves by steps inside the bounds.
        if (Shading.Learn && (FirstPriceShading < Shading.MinFactor || FirstPriceShading > Shading.MaxFactor))
        {
            yield return $"BidEngine:Pricing:FirstPriceShading ({FirstPriceShading}) is outside BidEngine:Pricing:Shading:MinFactor ({Shading.MinFactor}) to MaxFactor ({Shading.MaxFactor}), where learning starts from it";
        }
    }
}
