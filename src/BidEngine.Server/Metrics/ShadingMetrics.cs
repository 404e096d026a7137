using BidEngine.Core.Pricing;
using Prometheus;

namespace BidEngine.Server.Metrics;

/// <summary>
/// Learned first-price shading at <c>/metrics</c>: how many campaigns have learning state, how many
/// bid a learned factor and its mean, and the outcomes by what they told. Read at scrape time (a
/// walk over the campaigns with state, at most <c>Pricing:Shading:MaxCampaigns</c>); the bid path counts nothing.
/// </summary>
internal sealed class ShadingMetrics
{
    public ShadingMetrics(CollectorRegistry registry, LearnedShading shading)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var tracked = factory.CreateGauge("bidengine_shading_campaigns_tracked", "Campaigns with first-price shading state (a price-bearing win or loss seen).");
        var learning = factory.CreateGauge(
            "bidengine_shading_campaigns_learning",
            "Campaigns bidding a learned first-price factor (enough outcomes seen); the rest bid Pricing:FirstPriceShading.");
        var mean = factory.CreateGauge(
            "bidengine_shading_factor_mean",
            "Mean learned first-price factor over the learning campaigns (Pricing:FirstPriceShading when none is).");
        var outcomes = factory.CreateCounter(
            "bidengine_shading_outcomes_total",
            "First-price outcomes told to the shading, by what they said: exact (min-to-win given), win, price_loss (102 without min-to-win), no_price (other loss reasons), dropped (unusable).",
            "kind");
        var kinds = Enum.GetValues<ShadingEvidence>()
            .Select(k => (Kind: k, Child: outcomes.WithLabels(Label(k))))
            .ToArray();

        registry.AddBeforeCollectCallback(() =>
        {
            var summary = shading.Summarize();
            tracked.Set(summary.Tracked);
            learning.Set(summary.Learning);
            mean.Set(summary.MeanFactor);
            foreach (var (kind, child) in kinds)
            {
                child.IncTo(shading.Count(kind));
            }
        });
    }

    private static string Label(ShadingEvidence kind) => kind switch
    {
        ShadingEvidence.Exact => "exact",
        ShadingEvidence.Win => "win",
        ShadingEvidence.PriceLoss => "price_loss",
        ShadingEvidence.NoPrice => "no_price",
        _ => "dropped",
    };
}
