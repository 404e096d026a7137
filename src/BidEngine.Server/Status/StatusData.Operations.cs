using System.Diagnostics;
using System.Text.Json;
using BidEngine.Core.Exchanges;
using BidEngine.Model.Onnx;
using BidEngine.Server.Metrics;

namespace BidEngine.Server.Status;

/// <summary>Per exchange its kill switch; the model in use; where money state lives (the store and leases in a fleet).</summary>
internal sealed partial class StatusData
{
    private void WriteExchanges(Utf8JsonWriter w)
    {
        w.WriteStartArray("exchanges"u8);
        foreach (var exchange in exchanges.All)
        {
            var health = exchange.Health;
            var (answers, badShare) = health.Window();
            w.WriteStartObject();
            w.WriteString("name"u8, exchange.Name);
            w.WriteString("state"u8, LabelValues.Snake(health.State.ToString()));
            w.WriteNumber("windowSeconds"u8, exchange.Profile.Health.WindowSeconds);
            w.WriteNumber("windowAnswers"u8, answers);
            Number(w, "windowLateOrErrorShare"u8, answers == 0 ? double.NaN : badShare, 4);
            Number(w, "tripShare"u8, exchange.Profile.Health.TripShare, 4);
            w.WriteNumber("trips"u8, health.Trips);
            w.WriteNumber("bids"u8, health.Total(ExchangeAnswer.Bid));
            w.WriteNumber("noBids"u8, health.Total(ExchangeAnswer.NoBid));
            w.WriteNumber("late"u8, health.Total(ExchangeAnswer.Late));
            w.WriteNumber("errors"u8, health.Total(ExchangeAnswer.Error));
            w.WriteString("billOn"u8, exchange.BillOn.ToString().ToLowerInvariant());
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private void WriteModel(Utf8JsonWriter w)
    {
        w.WriteStartObject("model"u8);
        w.WriteBoolean("inUse"u8, _scorer is not null);
        if (_scorer is { } scorer)
        {
            var card = scorer.Card;
            w.WriteString("name"u8, scorer.Name);
            w.WriteString("path"u8, scorer.Options.ModelPath);
            w.WriteString("precision"u8, card.Precision);
            w.WriteString("family"u8, card.Metadata.GetValueOrDefault(ModelMetadataKeys.Family));
            w.WriteString("featureSpec"u8, card.FeatureSpecVersion);
            w.WriteNumber("hashBits"u8, card.HashBits);
            w.WriteNumber("factorDim"u8, card.FactorDim);
            w.WriteString("batching"u8, scorer.Options.Batching.ToString());

            // One model serves every request: arms (a champion and challengers) come with the models
            // issue. Until then the calibration is by scorer, the model's and the prior CTRs'.
            w.WriteNumber("arms"u8, 1);
            var counters = scorer.Counters;
            w.WriteNumber("runs"u8, counters.Runs);
            w.WriteNumber("rows"u8, counters.RowsScored);
            w.WriteNumber("notStarted"u8, counters.NotStarted);
            w.WriteNumber("cutOff"u8, counters.CutOff);
            w.WriteStartArray("bucketCostsUs"u8);
            foreach (var (rows, ticks) in scorer.BucketCosts())
            {
                w.WriteStartObject();
                w.WriteNumber("rows"u8, rows);
                Number(w, "us"u8, ticks * 1_000_000.0 / Stopwatch.Frequency, 1);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }
        else
        {
            w.WriteString("name"u8, "heuristic only (UseModel is false): every bid is priced from the prior CTRs");
        }

        w.WriteStartArray("calibration"u8);
        foreach (var model in (ReadOnlySpan<bool>)[true, false])
        {
            var (impressions, predicted, clicks) = notices.Calibration(model);
            w.WriteStartObject();
            w.WriteString("scorer"u8, model ? "model" : "heuristic");
            w.WriteNumber("impressions"u8, (long)impressions);
            Number(w, "predictedClicks"u8, predicted, 2);
            w.WriteNumber("clicks"u8, (long)clicks);
            Number(w, "predictedOverClicks"u8, clicks == 0 ? double.NaN : predicted / clicks, 3);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private void WriteState(Utf8JsonWriter w)
    {
        w.WriteStartObject("state"u8);
        if (state.Shared is { } shared)
        {
            var store = shared.Metrics;
            w.WriteString("mode"u8, "store");
            w.WriteString("store"u8, options.Value.State.Redis);
            w.WriteBoolean("storeUp"u8, store.StoreUp);
            Number(w, "storeMeanLatencyMs"u8, store.MeanLatency.TotalMilliseconds, 3);
            Number(w, "storeMaxLatencyMs"u8, store.MaxLatency.TotalMilliseconds, 3);
            w.WriteNumber("storeErrors"u8, store.Errors);
            w.WriteNumber("storeTimeouts"u8, store.Timeouts);
            w.WriteNumber("noticeRoundTrips"u8, store.NoticeRoundTrips);
            w.WriteNumber("backgroundRoundTrips"u8, store.BackgroundRoundTrips);
            var leases = shared.LeasedLedger.Leases().OrderByDescending(l => l.Slice).Take(MaxCampaigns);
            w.WriteStartArray("leases"u8);
            foreach (var (campaign, slice, reserved) in leases)
            {
                w.WriteStartObject();
                w.WriteString("campaign"u8, campaign);
                Money(w, "slice"u8, slice);
                Money(w, "reserved"u8, reserved);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }
        else if (state.State is { } embedded)
        {
            var journal = embedded.Journal;
            w.WriteString("mode"u8, "embedded");
            w.WriteString("folder"u8, embedded.Folder);
            w.WriteNumber("journalFlushes"u8, journal.Flushes);
            w.WriteNumber("journalRecords"u8, journal.RecordsWritten);
            w.WriteNumber("journalFailures"u8, journal.Failures);
        }
        else
        {
            w.WriteString("mode"u8, "memory");
        }

        // The local ledger's records (reservations outstanding and remembered); -1 on a fleet's store.
        w.WriteNumber("ledgerRecords"u8, budgets.LedgerRecords);
        w.WriteNumber("ledgerCapacity"u8, budgets.LedgerCapacity);
        w.WriteNumber("pacedCampaigns"u8, budgets.PacedCampaigns);
        w.WriteNumber("exhaustedCampaigns"u8, budgets.ExhaustedCampaigns);
        w.WriteEndObject();
    }
}
