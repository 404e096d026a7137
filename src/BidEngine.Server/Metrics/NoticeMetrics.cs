using BidEngine.Core.Notices;
using Prometheus;

namespace BidEngine.Server.Metrics;

/// <summary>
/// Outcome notices at <c>/metrics</c>: what was taken by kind, what was refused by reason, and the
/// spend billed notices made, and the CTR model's calibration (predicted clicks of billed impressions
/// against their clicks, by scorer). Every labelled child is resolved once here, so counting a notice
/// allocates nothing. Notices come from exchanges and ads, never from warm-up: counted from the start.
/// </summary>
internal sealed class NoticeMetrics
{
    private readonly Counter.Child[] _taken;
    private readonly Counter.Child _unknownCampaign;
    private readonly Counter.Child _unknownBucket;
    private readonly Counter.Child _notBilled;
    private readonly Counter.Child _bad;
    private readonly Counter.Child[] _refused;
    private readonly Counter _spend;

    // Calibration, indexed by scorer (0 heuristic, 1 model): predicted clicks ÷ clicks near 1 is a calibrated CTR.
    private readonly Counter.Child[] _impressions;
    private readonly Counter.Child[] _predictedClicks;
    private readonly Counter.Child[] _clicks;

    public NoticeMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var notices = factory.CreateCounter(
            "bidengine_notices_total",
            "Outcome notices by kind: win, imp (billed: spend in the ledger), loss (reservation released) and click were verified and taken; "
            + "unknown_campaign and unknown_bucket were verified but their campaign or bucket is gone; not_billed were verified billing notices the ledger did not take; bad were refused with 400. Refusals are in bidengine_notices_refused_total.",
            "kind");
        _taken = new Counter.Child[Enum.GetValues<NoticeKind>().Length + 1];
        _taken[(int)NoticeKind.Win] = notices.WithLabels("win");
        _taken[(int)NoticeKind.Impression] = notices.WithLabels("imp");
        _taken[(int)NoticeKind.Loss] = notices.WithLabels("loss");
        _taken[(int)NoticeKind.Click] = notices.WithLabels("click");
        _unknownCampaign = notices.WithLabels("unknown_campaign");
        _unknownBucket = notices.WithLabels("unknown_bucket");
        _notBilled = notices.WithLabels("not_billed");
        _bad = notices.WithLabels("bad");

        var refused = factory.CreateCounter(
            "bidengine_notices_refused_total",
            "Notices refused without any effect (no spend, no prior, no shading, no log record), by reason: bad_token (forged, altered, cut or another kind's), unknown_key, expired, "
            + "store_unavailable (answered 503), price_above_bid, replayed (answered 204), no_billed_impression (a click before its billing), conflict (a loss after a win or the reverse), replay_window_full (answered 503), "
            + "bad_price_signature (an encrypted clearing price whose signature does not match the exchange's keys), unknown_exchange (a token naming an exchange without a profile here).",
            "reason");
        _refused = new Counter.Child[Enum.GetValues<NoticeOutcome>().Length + 1];
        _refused[(int)NoticeOutcome.BadToken] = refused.WithLabels("bad_token");
        _refused[(int)NoticeOutcome.UnknownKey] = refused.WithLabels("unknown_key");
        _refused[(int)NoticeOutcome.Expired] = refused.WithLabels("expired");
        _refused[(int)NoticeOutcome.StoreUnavailable] = refused.WithLabels("store_unavailable");
        _refused[(int)NoticeOutcome.PriceAboveBid] = refused.WithLabels("price_above_bid");
        _refused[(int)NoticeOutcome.Replayed] = refused.WithLabels("replayed");
        _refused[(int)NoticeOutcome.NoBilledImpression] = refused.WithLabels("no_billed_impression");
        _refused[(int)NoticeOutcome.Conflict] = refused.WithLabels("conflict");
        _refused[(int)NoticeOutcome.ReplayWindowFull] = refused.WithLabels("replay_window_full");
        _refused[(int)NoticeOutcome.BadPriceSignature] = refused.WithLabels("bad_price_signature");
        _refused[(int)NoticeOutcome.UnknownExchange] = refused.WithLabels("unknown_exchange");
        _spend = factory.CreateCounter(
            "bidengine_spend_currency_units_total",
            "Money spent on billed impressions the ledger settled (clearing price CPM / 1000; a replayed notice counts once), in the currency of each bid (USD unless a request excluded it).");

        string[] scorers = ["heuristic", "model"];
        var impressions = factory.CreateCounter(
            "bidengine_calibration_impressions_total",
            "Billed impressions (spend) whose bid's CTR is known, by the scorer that predicted it: model or heuristic (the deadline's fallback).",
            "scorer");
        var predicted = factory.CreateCounter(
            "bidengine_calibration_predicted_clicks_total",
            "Sum of the predicted CTRs of those impressions (the clicks the scorer expected), read back from each bid's signed value.",
            "scorer");
        var clicks = factory.CreateCounter(
            "bidengine_calibration_clicks_total",
            "Clicks taken on those impressions, by the scorer of their bid: predicted_clicks ÷ clicks is the scorer's calibration (1 is calibrated).",
            "scorer");
        _impressions = scorers.Select(s => impressions.WithLabels(s)).ToArray();
        _predictedClicks = scorers.Select(s => predicted.WithLabels(s)).ToArray();
        _clicks = scorers.Select(s => clicks.WithLabels(s)).ToArray();
    }

    /// <summary>One scorer's calibration so far (the status page): billed impressions, the clicks it predicted for them, and their clicks.</summary>
    public (double Impressions, double PredictedClicks, double Clicks) Calibration(bool model)
    {
        var scorer = model ? 1 : 0;
        return (_impressions[scorer].Value, _predictedClicks[scorer].Value, _clicks[scorer].Value);
    }

    /// <summary>Counts one notice; a billed impression adds its clearing price to the spend.</summary>
    public void Notice(NoticeKind kind, in NoticeResult result)
    {
        switch (result.Outcome)
        {
            case NoticeOutcome.Recorded:
                _taken[(int)kind].Inc();

                // A billing notice that settled; from an exchange that bills on nurl, the win notice is one too.
                if (result.Settle is not null)
                {
                    if (kind != NoticeKind.Impression)
                    {
                        _taken[(int)NoticeKind.Impression].Inc();
                    }

                    _spend.Inc(result.PriceCpm / 1000);
                    if (result.PredictedCtr is { } ctr)
                    {
                        var scorer = result.ModelScored ? 1 : 0;
                        _impressions[scorer].Inc();
                        _predictedClicks[scorer].Inc(ctr);
                    }
                }
                else if (kind == NoticeKind.Click && result.PredictedCtr is not null)
                {
                    _clicks[result.ModelScored ? 1 : 0].Inc();
                }

                break;
            case NoticeOutcome.UnknownCampaign:
                _unknownCampaign.Inc();
                break;
            case NoticeOutcome.UnknownBucket:
                _unknownBucket.Inc();
                break;
            case NoticeOutcome.NotBilled:
                _notBilled.Inc();
                break;
            case NoticeOutcome.Bad:
                _bad.Inc();
                break;
            default:
                _refused[(int)result.Outcome].Inc();
                break;
        }
    }
}
