using System.Buffers;
using System.Text;
using System.Text.Json;
using BidEngine.Core.Notices;
using BidEngine.Core.State;
using BidEngine.Server.Http;
using BidEngine.Server.Metrics;

namespace BidEngine.Server.Endpoints;

/// <summary>
/// The win (<c>nurl</c>), billing (<c>burl</c>), loss (<c>lurl</c>) and click notices, at the paths
/// <see cref="NoticeUrls"/> writes them: hand the raw query string to <see cref="OutcomeNotices"/>
/// (which verifies the token and applies it, judged by the profile of the exchange the token names:
/// on an exchange that bills on nurl the win notice bills, and an encrypted price is decrypted there),
/// count the outcome, answer at once. 204 when taken (or a replay, which exchanges send on retry),
/// 400 naming the field for a malformed query (a plain price where the exchange encrypts it
/// included), 403 with the reason for a refused notice (<c>bad_price_signature</c> for an encrypted
/// price that does not verify), 503 when the replay window is full or the store out of reach. A
/// taken notice is answered once the embedded state's journal has it on disk: the one allocation
/// here, an async continuation per taken notice while it waits. Otherwise nothing is allocated: the
/// query is read as a span of the string Kestrel already made, never through <c>Request.Query</c>,
/// and refusals are answered with preallocated bodies.
/// </summary>
internal sealed class NoticeEndpoints(OutcomeNotices notices, NoticeMetrics metrics, ILogger<NoticeEndpoints> logger, IDurability? durability = null)
{
    private static readonly byte[][] RefusalBodies = MakeRefusalBodies();

    public static void Map(IEndpointRouteBuilder routes, IServiceProvider services)
    {
        var endpoints = services.GetRequiredService<NoticeEndpoints>();
        routes.MapGet(NoticeUrls.WinPath, endpoints.WinAsync);
        routes.MapGet(NoticeUrls.ImpressionPath, endpoints.ImpressionAsync);
        routes.MapGet(NoticeUrls.LossPath, endpoints.LossAsync);
        routes.MapGet(NoticeUrls.ClickPath, endpoints.ClickAsync);
    }

    public Task WinAsync(HttpContext http) => HandleAsync(http, NoticeKind.Win);

    public Task ImpressionAsync(HttpContext http) => HandleAsync(http, NoticeKind.Impression);

    public Task LossAsync(HttpContext http) => HandleAsync(http, NoticeKind.Loss);

    public Task ClickAsync(HttpContext http) => HandleAsync(http, NoticeKind.Click);

    private Task HandleAsync(HttpContext http, NoticeKind kind)
    {
        var result = notices.Handle(kind, http.Request.QueryString.Value);
        metrics.Notice(kind, result);
        if (result.Outcome == NoticeOutcome.Bad)
        {
            // Rare and not on the notice path: a writer of its own is fine here.
            var writer = new Utf8JsonWriter(Stream.Null);
            return ErrorResponse.WriteAsync(http, writer, StatusCodes.Status400BadRequest, result.Error!, result.Field, result.Message!);
        }

        if (result.IsRefused && result.Outcome != NoticeOutcome.Replayed)
        {
            var response = http.Response;
            response.StatusCode = result.Outcome is NoticeOutcome.ReplayWindowFull or NoticeOutcome.StoreUnavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status403Forbidden;
            var body = RefusalBodies[(int)result.Outcome];
            response.ContentType = "application/json";
            response.ContentLength = body.Length;
            response.BodyWriter.Write(body);
            return Task.CompletedTask;
        }

        if (result.Outcome == NoticeOutcome.NotBilled)
        {
            logger.LogWarning("A verified {Kind} notice at {Price} CPM did not become spend: {Settle}", kind, result.PriceCpm, result.Settle);
        }

        // A taken notice is answered once its change is on disk: the exchange retries one that was
        // not answered, so a crash can never drop a bill it was told was taken.
        if (result.Outcome == NoticeOutcome.Recorded && durability is not null)
        {
            return AnswerWhenDurableAsync(http, durability.WhenDurableAsync());
        }

        http.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static async Task AnswerWhenDurableAsync(HttpContext http, Task durable)
    {
        try
        {
            await durable.ConfigureAwait(false);
            http.Response.StatusCode = StatusCodes.Status204NoContent;
        }
        catch (IOException)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }
    }

    /// <summary><c>{"error":"bad_token"}</c> and so on, once per reason: the same names as <c>bidengine_notices_refused_total</c>.</summary>
    private static byte[][] MakeRefusalBodies()
    {
        var bodies = new byte[Enum.GetValues<NoticeOutcome>().Length + 1][];
        foreach (var outcome in Enum.GetValues<NoticeOutcome>())
        {
            var name = new StringBuilder();
            foreach (var c in outcome.ToString())
            {
                if (char.IsUpper(c) && name.Length > 0)
                {
                    name.Append('_');
                }

                name.Append(char.ToLowerInvariant(c));
            }

            bodies[(int)outcome] = Encoding.UTF8.GetBytes($"{{\"error\":\"{name}\"}}");
        }

        return bodies;
    }
}
