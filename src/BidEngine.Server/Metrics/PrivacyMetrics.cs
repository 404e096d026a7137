using BidEngine.Core.Privacy;
using Prometheus;

namespace BidEngine.Server.Metrics;

/// <summary>
/// The privacy step at <c>/metrics</c>, read from the consent engine's counters at each scrape:
/// <c>bidengine_privacy_decisions_total{outcome}</c> (no_bid, no_user_data, full) and
/// <c>bidengine_privacy_reasons_total{reason}</c> (none, consent_missing, ..., no_precise_geo_consent).
/// Counted from the moment the server turns ready, like the answers.
/// </summary>
internal sealed class PrivacyMetrics
{
    private static readonly PrivacyOutcome[] Outcomes = Enum.GetValues<PrivacyOutcome>();
    private static readonly PrivacyReason[] Reasons = Enum.GetValues<PrivacyReason>();

    private readonly ConsentEngine _engine;
    private readonly long[] _outcomeBase = new long[Outcomes.Length];
    private readonly long[] _reasonBase = new long[Reasons.Length];

    public PrivacyMetrics(CollectorRegistry registry, ConsentEngine engine)
    {
        _engine = engine;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var decisions = factory.CreateCounter(
            "bidengine_privacy_decisions_total",
            "Requests by what the privacy step allowed: no_bid (no legal basis under GDPR), no_user_data (bid without user ids, user-keyed caps, user features or precise geo), full.",
            "outcome");
        var reasons = factory.CreateCounter(
            "bidengine_privacy_reasons_total",
            "Requests by the signal that set the privacy step's strongest limit; none when nothing limited them.",
            "reason");
        var decisionChildren = Outcomes.Select(o => decisions.WithLabels(LabelValues.Snake(o.ToString()))).ToArray();
        var reasonChildren = Reasons.Select(r => reasons.WithLabels(LabelValues.Snake(r.ToString()))).ToArray();
        registry.AddBeforeCollectCallback(() =>
        {
            for (var i = 0; i < Outcomes.Length; i++)
            {
                decisionChildren[i].IncTo(engine.Count(Outcomes[i]) - Volatile.Read(ref _outcomeBase[i]));
            }

            for (var i = 0; i < Reasons.Length; i++)
            {
                reasonChildren[i].IncTo(engine.Count(Reasons[i]) - Volatile.Read(ref _reasonBase[i]));
            }
        });
    }

    /// <summary>Counting starts at ready: what the warm-up counted is the baseline.</summary>
    public void StartRecording()
    {
        for (var i = 0; i < Outcomes.Length; i++)
        {
            Volatile.Write(ref _outcomeBase[i], _engine.Count(Outcomes[i]));
        }

        for (var i = 0; i < Reasons.Length; i++)
        {
            Volatile.Write(ref _reasonBase[i], _engine.Count(Reasons[i]));
        }
    }
}
