using System.Globalization;
using System.Text.Json;
using BidEngine.Core.Budgets;
using BidEngine.Core.Exchanges;
using BidEngine.Core.Heuristics;
using BidEngine.Core.Notices;
using BidEngine.Core.Operations;
using BidEngine.Core.Time;
using BidEngine.Model;
using BidEngine.Server.Hosting;
using BidEngine.Server.Metrics;
using BidEngine.Server.Options;
using Microsoft.Extensions.Options;

namespace BidEngine.Server.Status;

/// <summary>
/// <c>GET /status/data</c>: what the status page shows, as one JSON document (docs/status-page.md
/// names every field and where it comes from). The charts' series come from the sampler's history;
/// everything else is read from the rooms that own it at the moment of the request. Nothing here runs
/// on the bid path; a request costs a walk over the campaigns (the 50 shown at most are written).
/// </summary>
internal sealed partial class StatusData(
    StatusHistory history,
    BidMetrics metrics,
    NoticeMetrics notices,
    ReadinessState readiness,
    CampaignStore campaigns,
    IBudgetLedger ledger,
    WinLossCounts winsAndLosses,
    OutcomeCounts outcomes,
    BudgetService budgets,
    ExchangeDirectory exchanges,
    StateService state,
    IClock clock,
    IOptions<BidEngineOptions> options,
    IServiceProvider services)
{
    /// <summary>Campaigns written at most: the most spent today first when there are more.</summary>
    public const int MaxCampaigns = 50;

    private readonly OnnxCtrScorer? _scorer = services.GetService<OnnxCtrScorer>();

    /// <summary>When this bidder started (the data is made as the routes are mapped): the page tells a restart by it.</summary>
    private readonly DateTimeOffset _started = clock.UtcNow;

    public async Task WriteAsync(HttpContext http)
    {
        var since = long.TryParse(http.Request.Query["since"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var response = http.Response;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        await using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            Write(writer, since);
        }

        await response.BodyWriter.FlushAsync(http.RequestAborted);
    }

    /// <summary>The whole document; series only after <paramref name="since"/> (unix seconds), all of them for 0.</summary>
    public void Write(Utf8JsonWriter w, long since)
    {
        var now = clock.UtcNow;
        w.WriteStartObject();
        w.WriteNumber("version"u8, 1);
        w.WriteString("now"u8, now);
        w.WriteString("startedAt"u8, _started);
        w.WriteNumber("uptimeSeconds"u8, Math.Max(0, (long)(now - _started).TotalSeconds));
        w.WriteString("readiness"u8, readiness.Word);
        WriteSeries(w, since);
        WriteTotals(w);
        WriteCampaigns(w, now);
        WriteExchanges(w);
        WriteModel(w);
        WriteState(w);
        w.WriteEndObject();
    }

    private void WriteSeries(Utf8JsonWriter w, long since)
    {
        var samples = new List<StatusSample>(history.Capacity);
        history.CopyAfter(since, samples);
        w.WriteStartObject("series"u8);
        w.WriteNumber("intervalSeconds"u8, StatusSampler.Interval.TotalSeconds);
        w.WriteNumber("capacity"u8, history.Capacity);
        w.WriteStartArray("t"u8);
        foreach (var sample in samples)
        {
            w.WriteNumberValue(sample.UnixSeconds);
        }

        w.WriteEndArray();
        Column(w, "requestsPerSecond"u8, samples, static s => s.RequestsPerSecond, 1);
        Column(w, "bidsPerSecond"u8, samples, static s => s.BidsPerSecond, 1);
        Column(w, "p50Ms"u8, samples, static s => s.P50Ms, 3);
        Column(w, "p99Ms"u8, samples, static s => s.P99Ms, 3);
        Column(w, "p999Ms"u8, samples, static s => s.P999Ms, 3);
        Column(w, "modelShare"u8, samples, static s => s.ModelShare, 4);
        Column(w, "heuristicShare"u8, samples, static s => s.HeuristicShare, 4);
        Column(w, "noTimeShare"u8, samples, static s => s.NoTimeShare, 4);
        Column(w, "shedShare"u8, samples, static s => s.ShedShare, 4);
        Column(w, "noCandidatesShare"u8, samples, static s => s.NoCandidatesShare, 4);
        Column(w, "latePerSecond"u8, samples, static s => s.LatePerSecond, 1);
        Column(w, "lateShare"u8, samples, static s => s.LateShare, 5);
        Column(w, "billedPerSecond"u8, samples, static s => s.BilledPerSecond, 1);
        Column(w, "skippedPerSecond"u8, samples, static s => s.SkippedPerSecond, 1);
        Column(w, "cappedPerSecond"u8, samples, static s => s.CappedPerSecond, 1);
        w.WriteEndObject();
    }

    private void WriteTotals(Utf8JsonWriter w)
    {
        w.WriteStartObject("totals"u8);
        w.WriteNumber("requests"u8, metrics.FinishedCount);
        w.WriteNumber("bids"u8, (long)metrics.BidCount);
        w.WriteNumber("late"u8, (long)metrics.LateCount);
        w.WriteNumber("shed"u8, (long)metrics.ShedCount);
        w.WriteEndObject();
    }

    private static void Column(Utf8JsonWriter w, ReadOnlySpan<byte> name, List<StatusSample> samples, Func<StatusSample, double> value, int digits)
    {
        w.WriteStartArray(name);
        foreach (var sample in samples)
        {
            Number(w, value(sample), digits);
        }

        w.WriteEndArray();
    }

    /// <summary>A number rounded for people, or null for NaN (nothing to divide by): JSON has no NaN.</summary>
    private static void Number(Utf8JsonWriter w, double value, int digits)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumberValue(Math.Round(value, digits));
        }
        else
        {
            w.WriteNullValue();
        }
    }

    private static void Number(Utf8JsonWriter w, ReadOnlySpan<byte> name, double value, int digits)
    {
        w.WritePropertyName(name);
        Number(w, value, digits);
    }
}
