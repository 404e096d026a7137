using System.Text.Json;
using BidEngine.Core.Events;
using BidEngine.Core.Notices;
using BidEngine.Server.Http;
using BidEngine.Server.Metrics;
using Microsoft.Extensions.Primitives;

namespace BidEngine.Server.Endpoints;

/// <summary>
/// The billing notice (the exchange calls a bid's <c>burl</c>) and the click notice (from the ad's
/// click URL), at the paths and with the parameters <see cref="NoticeUrls"/> writes them: hand the
/// query to <see cref="OutcomeNotices"/>, count the outcome, answer 204 at once, or 400 naming the field.
/// </summary>
internal sealed class NoticeEndpoints(OutcomeNotices notices, BidMetrics metrics, EventLog eventLog)
{
    public static void Map(WebApplication app)
    {
        var endpoints = app.Services.GetRequiredService<NoticeEndpoints>();
        app.MapGet(NoticeUrls.ImpressionPath, endpoints.ImpressionAsync);
        app.MapGet(NoticeUrls.ClickPath, endpoints.ClickAsync);
    }

    public Task ImpressionAsync(HttpContext http) => HandleAsync(http, NoticeKind.Impression);

    public Task ClickAsync(HttpContext http) => HandleAsync(http, NoticeKind.Click);

    private Task HandleAsync(HttpContext http, NoticeKind kind)
    {
        var query = http.Request.Query;
        var impression = kind == NoticeKind.Impression;
        var result = Repeated(query, NoticeUrls.CampaignParameter) ?? Repeated(query, NoticeUrls.BucketParameter)
            ?? (impression ? Repeated(query, NoticeUrls.PriceParameter) ?? Repeated(query, NoticeUrls.BidParameter)
                ?? Repeated(query, NoticeUrls.UserParameter) ?? Repeated(query, NoticeUrls.CurrencyParameter) : null)
            ?? (impression
                ? notices.Record(kind, query[NoticeUrls.CampaignParameter], query[NoticeUrls.BucketParameter], query[NoticeUrls.PriceParameter],
                    query[NoticeUrls.BidParameter], query[NoticeUrls.UserParameter], query[NoticeUrls.CurrencyParameter])
                : notices.Record(kind, query[NoticeUrls.CampaignParameter], query[NoticeUrls.BucketParameter], null));
        metrics.Notice(kind, result);

        // The bid log: these notices carry only the campaign; request and imp ids come with the signed notices.
        if (result.Outcome == NoticeOutcome.Recorded)
        {
            var keys = new OutcomeKeys("", "", query[NoticeUrls.CampaignParameter].ToString(), "");
            _ = impression ? eventLog.TryAppendBill(keys, result.PriceCpm) : eventLog.TryAppendClick(keys);
        }

        if (result.Outcome == NoticeOutcome.Bad)
        {
            // Rare and not on the bid path: a writer of its own is fine here.
            var writer = new Utf8JsonWriter(Stream.Null);
            return ErrorResponse.WriteAsync(http, writer, StatusCodes.Status400BadRequest, result.Error!, result.Field, result.Message!);
        }

        http.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    /// <summary>A parameter given twice is ambiguous: refused rather than guessed.</summary>
    private static NoticeResult? Repeated(IQueryCollection query, string field) =>
        query.TryGetValue(field, out StringValues values) && values.Count > 1 ? NoticeResult.Malformed(field, "given once") : null;
}
