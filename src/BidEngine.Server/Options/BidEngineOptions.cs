using BidEngine.Core.Deadlines;
using BidEngine.Core.Pipeline;
using BidEngine.Core.Pricing;
using BidEngine.Model;

namespace BidEngine.Server.Options;

/// <summary>All settings, bound from the configuration section <c>BidEngine</c>. Each is documented in the README.</summary>
public sealed class BidEngineOptions
{
    public const string Section = "BidEngine";

    /// <summary>The campaign file; a relative path is taken from the config folder.</summary>
    public string CampaignsPath { get; set; } = "campaigns.json";

    /// <summary>Watch the campaign file and apply changes without a restart; a file that does not load is refused and logged.</summary>
    public bool ReloadCampaigns { get; set; } = true;

    /// <summary>
    /// Price from the CTR model (true) or from the prior table alone (false). Off is for running
    /// without model files, and as a baseline in load tests.
    /// </summary>
    public bool UseModel { get; set; } = true;

    /// <summary>The heuristic's prior CTR table (campaign × placement); relative paths are taken from the binary's folder.</summary>
    public string PriorsPath { get; set; } = "models/ctr.priors.json";

    public HttpOptions Http { get; set; } = new();

    /// <summary>The ONNX scorer; relative paths are taken from the binary's folder.</summary>
    public ModelOptions Model { get; set; } = new();

    public CurrencyOptions Currency { get; set; } = new();

    public DeadlineOptions Deadline { get; set; } = new();

    public PricingOptions Pricing { get; set; } = new();

    public PipelineOptions Pipeline { get; set; } = new();

    public WarmupOptions Warmup { get; set; } = new();

    public NoticeOptions Notices { get; set; } = new();

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(CampaignsPath))
        {
            yield return "BidEngine:CampaignsPath must name the campaign file";
        }

        if (UseModel)
        {
            foreach (var error in Model.Validate())
            {
                yield return "BidEngine:" + error;
            }
        }

        foreach (var error in Http.Validate().Concat(Currency.Validate()).Concat(Deadline.Validate()).Concat(Pricing.Validate()).Concat(Pipeline.Validate()).Concat(Warmup.Validate()).Concat(Notices.Validate()))
        {
            yield return error;
        }
    }
}
