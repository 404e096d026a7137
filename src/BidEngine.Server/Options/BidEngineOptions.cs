using BidEngine.Core.Deadlines;
using BidEngine.Core.Pipeline;
using BidEngine.Core.Pricing;

namespace BidEngine.Server.Options;

/// <summary>All settings, bound from the configuration section <c>BidEngine</c>. Each is documented in the README.</summary>
public sealed class BidEngineOptions
{
    public const string Section = "BidEngine";

    /// <summary>The campaign file; a relative path is taken from the config folder.</summary>
    public string CampaignsPath { get; set; } = "campaigns.json";

    public HttpOptions Http { get; set; } = new();

    public CurrencyOptions Currency { get; set; } = new();

    public DeadlineOptions Deadline { get; set; } = new();

    public PricingOptions Pricing { get; set; } = new();

    public PipelineOptions Pipeline { get; set; } = new();

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(CampaignsPath))
        {
            yield return "BidEngine:CampaignsPath must name the campaign file";
        }

        foreach (var error in Http.Validate().Concat(Currency.Validate()).Concat(Deadline.Validate()).Concat(Pricing.Validate()).Concat(Pipeline.Validate()))
        {
            yield return error;
        }
    }
}
