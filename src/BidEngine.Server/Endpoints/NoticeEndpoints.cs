using System.Text.Json;
using BidEngine.Core.Notices;
using BidEngine.Server.Http;
using BidEngine.Server.Metrics;
using Microsoft.Extensions.Primitives;

namespace BidEngine.Server.Endpoints;

/// <summary>
/// <c>GET /openrtb2/notice/imp?c=&amp;b=&amp;p=</c> (the exchange's billing notice, <c>burl</c>) and
/// <c>GET /openrtb2/notice/click?c=&amp;b=</c> (from the ad's click URL): hand the query to
/// <see cref="OutcomeNotices"/>, count the outcome, answer 204 at once, or 400 naming the field.
/// </summary>
internal sealed class NoticeEndpoints(OutcomeNotices notices, BidMetrics metrics)
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
        var result = Repeated(query, "c") ?? Repeated(query, "b") ?? (kind == NoticeKind.Impression ? Repeated(query, "p") : null)
            ?? notices.Record(kind, query["c"], query["b"], kind == NoticeKind.Impression ? (string?)query["p"] : null);
        metrics.Notice(kind, result);
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
