using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;
using BidEngine.Core.Budgets;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Events;
using BidEngine.Core.Exchanges;
using BidEngine.Core.Pipeline;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Writing;
using BidEngine.Server.Http;
using BidEngine.Server.Metrics;
using BidEngine.Server.Options;
using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Options;
using BadHttpRequestException = Microsoft.AspNetCore.Http.BadHttpRequestException;

namespace BidEngine.Server.Endpoints;

/// <summary>
/// <c>POST /openrtb2/bid</c>: reads the body from the request pipe, parses it into a pooled
/// request, runs the pipeline and writes the answer straight into the response pipe. Bad input
/// gets a 4xx naming the problem; nothing here logs per request.
/// </summary>
internal sealed class BidEndpoint
{
    private readonly ObjectPool<EndpointContext> _pool;
    private readonly BidPipeline _pipeline;
    private readonly DeadlinePolicy _deadlines;
    private readonly HttpOptions _http;
    private readonly ParserLimits _limits;
    private readonly BidMetrics _metrics;
    private readonly AdmissionControl _admission;
    private readonly ILogger<BidEndpoint> _logger;
    private readonly EventLog _eventLog;
    private readonly ExchangeMetrics _exchanges;

    public BidEndpoint(
        ObjectPool<EndpointContext> pool,
        BidPipeline pipeline,
        DeadlinePolicy deadlines,
        AdmissionControl admission,
        IOptions<BidEngineOptions> options,
        BidMetrics metrics,
        ILogger<BidEndpoint> logger,
        EventLog eventLog,
        ExchangeMetrics exchanges)
    {
        _eventLog = eventLog;
        _exchanges = exchanges;
        _pool = pool;
        _pipeline = pipeline;
        _deadlines = deadlines;
        _http = options.Value.Http;
        _limits = new ParserLimits { MaxDepth = _http.MaxJsonDepth, MaxImps = _http.MaxImps };
        _metrics = metrics;
        _admission = admission;
        _logger = logger;
    }

    /// <summary><c>POST /openrtb2/bid</c>: the bidder-wide settings, no exchange profile.</summary>
    public Task HandleAsync(HttpContext http) => HandleAsync(http, null);

    /// <summary>
    /// <c>POST /openrtb2/{exchange}/bid</c>: the exchange's kill switch first (a switched-off exchange
    /// gets the cheapest answer there is), then as any request, with the exchange's deadline, seat and
    /// currency; its answer is counted in the exchange's health as the exchange saw it.
    /// </summary>
    public async Task HandleAsync(HttpContext http, Exchange? exchange)
    {
        if (exchange is not null && !exchange.Health.Admit())
        {
            _exchanges.SwitchedOff(exchange);
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            http.Response.Headers[HttpHeaderValues.OpenRtbVersionHeader] = HttpHeaderValues.OpenRtbVersion;
            return;
        }

        // The endpoint sees a request only after it waited in the thread pool: admission reckons its
        // arrival from the probe's delay, and refuses it when the deadline policy says it cannot
        // be answered in time (or too many are in flight).
        if (!_admission.TryEnter(out var arrival))
        {
            // A cheap no-bid now beats a late answer. The body is left for Kestrel to drain.
            _metrics.Shed();
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            http.Response.Headers[HttpHeaderValues.OpenRtbVersionHeader] = HttpHeaderValues.OpenRtbVersion;
            if (_http.DebugPathHeader)
            {
                http.Response.Headers[HttpHeaderValues.PathHeader] = HttpHeaderValues.PathShed;
            }

            _metrics.Finished(arrival, 0);
            if (exchange is not null)
            {
                // Shed in time: a valid, prompt answer in the exchange's eyes.
                _exchanges.Answered(exchange, ExchangeAnswer.NoBid, (System.Diagnostics.Stopwatch.GetTimestamp() - arrival) / (double)System.Diagnostics.Stopwatch.Frequency);
            }

            return;
        }

        var lease = _pool.Get();
        lease.Bid.Exchange = exchange;
        try
        {
            await HandleCoreAsync(http, lease, arrival);
        }
        catch (BadHttpRequestException e) when (!http.Response.HasStarted)
        {
            // Kestrel refused the body itself (bad chunking, over its own size limit, too slow).
            _metrics.Refused();
            await ErrorResponse.WriteAsync(http, lease.Writer, e.StatusCode, "bad_body", null, e.Message);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The exchange hung up; nobody is left to answer.
        }
        catch (Exception e) when (!http.Response.HasStarted)
        {
            // A bug, not bad input: logged and counted, and the exchange still gets a prompt no-bid.
            _metrics.Failed();
            _logger.LogError(e, "Request failed; answered no-bid");
            http.Response.StatusCode = StatusCodes.Status204NoContent;
        }
        finally
        {
            _metrics.Finished(arrival, lease.Bid.Deadline.DeadlineTimestamp);
            if (exchange is not null)
            {
                CountForExchange(http, exchange, lease.Bid, arrival);
            }

            _pool.Return(lease);
            _admission.Leave();
        }
    }

    private async Task HandleCoreAsync(HttpContext http, EndpointContext lease, long arrival)
    {
        var request = http.Request;
        if (request.ContentLength > _http.MaxBodyBytes)
        {
            CloseAfterAnswer(http);
            await RefuseAsync(http, lease, StatusCodes.Status413PayloadTooLarge, "too_large", $"body is larger than {_http.MaxBodyBytes} bytes");
            return;
        }

        var gzip = false;
        if (request.Headers.ContentEncoding.Count > 0)
        {
            var encoding = request.Headers.ContentEncoding.ToString();
            gzip = string.Equals(encoding, "gzip", StringComparison.OrdinalIgnoreCase);
            if (!gzip && !string.Equals(encoding, "identity", StringComparison.OrdinalIgnoreCase))
            {
                await RefuseAsync(http, lease, StatusCodes.Status415UnsupportedMediaType, "unsupported_encoding", "Content-Encoding must be gzip or identity");
                return;
            }
        }

        var reader = request.BodyReader;
        ReadResult read;
        while (true)
        {
            read = await reader.ReadAsync(http.RequestAborted);
            if (read.Buffer.Length > _http.MaxBodyBytes)
            {
                reader.AdvanceTo(read.Buffer.End);
                CloseAfterAnswer(http);
                await RefuseAsync(http, lease, StatusCodes.Status413PayloadTooLarge, "too_large", $"body is larger than {_http.MaxBodyBytes} bytes");
                return;
            }

            if (read.IsCompleted || read.IsCanceled)
            {
                break;
            }

            // Nothing consumed yet: wait for the rest of the body.
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        ParseResult parsed;
        try
        {
            parsed = gzip ? ParseGzip(read.Buffer, lease) : BidRequestParser.Parse(read.Buffer, lease.Bid.Request, _limits);
        }
        finally
        {
            // The parser copied what it keeps into the request's own arena.
            reader.AdvanceTo(read.Buffer.End);
        }

        if (!parsed.IsSuccess)
        {
            var status = parsed.Error == BidRequestError.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest;
            await RefuseAsync(http, lease, status, parsed.Code, parsed.Message, parsed.Field);
            return;
        }

        var context = lease.Bid;
        context.Deadline = context.Exchange is { } exchange
            ? DeadlinePolicy.For(arrival, context.Request.Tmax, exchange.DefaultTmaxMs, exchange.MaxTmaxMs, exchange.NetworkReserveMs)
            : _deadlines.For(arrival, context.Request.Tmax);
        await _pipeline.DecideAsync(context, http.RequestAborted);
        _metrics.Answered(context.Path, context.Response.HasBids);

        if (_http.DebugPathHeader)
        {
            http.Response.Headers[HttpHeaderValues.PathHeader] = PathValue(context.Path);
        }

        if (context.Response.HasBids)
        {
            await WriteBidAsync(http, lease);
        }
        else
        {
            WriteNoBid(http, lease);
        }

        // The bid log, after writing: it records the bids that went out (a size cap may drop some).
        // Encodes the decision into a free slot of its queue (0 B; nothing when off).
        _eventLog.TryAppendDecision(context, arrival);
    }

    /// <summary>
    /// The answer as the exchange saw it: an error for any 4xx or 5xx, late when it left after the
    /// request's deadline (its tmax less the network reserve: the exchange counts the trip back too;
    /// a request refused before its deadline was set is judged against the exchange's default window).
    /// </summary>
    private void CountForExchange(HttpContext http, Exchange exchange, BidContext context, long arrival)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        var deadline = context.Deadline.DeadlineTimestamp != 0
            ? context.Deadline.DeadlineTimestamp
            : DeadlinePolicy.For(arrival, 0, exchange.DefaultTmaxMs, exchange.MaxTmaxMs, exchange.NetworkReserveMs).DeadlineTimestamp;
        var status = http.Response.StatusCode;
        var answer = status >= 400 ? ExchangeAnswer.Error
            : now > deadline ? ExchangeAnswer.Late
            : status == StatusCodes.Status200OK && context.Response.HasBids ? ExchangeAnswer.Bid
            : ExchangeAnswer.NoBid;
        _exchanges.Answered(exchange, answer, (now - arrival) / (double)System.Diagnostics.Stopwatch.Frequency);
    }

    private ParseResult ParseGzip(ReadOnlySequence<byte> compressed, EndpointContext lease)
    {
        int length;
        try
        {
            length = GzipBody.Decompress(compressed, _http.MaxDecompressedBytes, out var buffer);
            lease.Decompressed = buffer;
        }
        catch (InvalidDataException)
        {
            return ParseResult.Fail(BidRequestError.NotJson, null, "Content-Encoding is gzip but the body is not valid gzip data");
        }

        if (length < 0)
        {
            return ParseResult.Fail(BidRequestError.TooLarge, null, $"body decompresses to more than {_http.MaxDecompressedBytes} bytes");
        }

        return BidRequestParser.Parse(lease.Decompressed.AsSpan(0, length), lease.Bid.Request, _limits);
    }

    private async Task WriteBidAsync(HttpContext http, EndpointContext lease)
    {
        var context = lease.Bid;
        WriteWithinCap(lease);
        if (!context.Response.HasBids)
        {
            // Every bid was dropped to keep the exchange's size cap.
            WriteNoBid(http, lease);
            return;
        }

        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers.ContentType = HttpHeaderValues.Json;
        response.Headers[HttpHeaderValues.OpenRtbVersionHeader] = HttpHeaderValues.OpenRtbVersion;
        if ((context.Exchange?.Profile.Gzip ?? true) && HttpHeaderValues.AcceptsGzip(http.Request.Headers.AcceptEncoding))
        {
            response.Headers.ContentEncoding = HttpHeaderValues.Gzip;
            response.Headers.Vary = HttpHeaderValues.AcceptEncodingVary;
            var encoder = GzipEncoderPool.Shared.Rent();
            if (encoder is null)
            {
                await WriteGzipStreamAsync(response, lease);
                return;
            }

            // One deflate call with a reused deflate state: 0 B per answer (GzipEncoderTests holds
            // it to that), 3-4 µs of CPU against 5-7 µs for a new GZipStream per answer.
            try
            {
                encoder.Compress(lease.Answer.WrittenSpan, lease.Compressed);
            }
            finally
            {
                GzipEncoderPool.Shared.Return(encoder);
            }

            Send(response, lease.Compressed.WrittenSpan);
            return;
        }

        Send(response, lease.Answer.WrittenSpan);
    }

    /// <summary>
    /// Writes the answer into the context's buffer; for an exchange whose profile caps the answer's
    /// size, drops the cheapest bid (and frees its reservation) until it fits. The cap is on the
    /// plain JSON, whether or not it then goes out compressed.
    /// </summary>
    private void WriteWithinCap(EndpointContext lease)
    {
        var context = lease.Bid;
        var cap = context.Exchange?.Profile.MaxResponseBytes ?? 0;
        while (true)
        {
            lease.Answer.ResetWrittenCount();
            lease.Writer.Reset(lease.Answer);
            BidResponseWriter.Write(lease.Writer, context.Request, context.Response);
            lease.Writer.Flush();
            if (cap == 0 || lease.Answer.WrittenCount <= cap || !context.Response.HasBids)
            {
                return;
            }

            DropCheapestBid(context);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void DropCheapestBid(BidContext context)
    {
        var bids = context.Response.Bids;
        var cheapest = 0;
        for (var i = 1; i < bids.Count; i++)
        {
            if (bids[i].Price < bids[cheapest].Price)
            {
                cheapest = i;
            }
        }

        // The ledger holds this bid's price: it goes back now rather than at the reservation's expiry.
        var bid = bids[cheapest];
        _pipeline.ReleaseUnsent(bid);
        bids.RemoveAt(cheapest);
        _exchanges.DroppedForSize(context.Exchange!);
    }

    /// <summary>The whole answer at once with its Content-Length: its length was known before its first byte.</summary>
    private static void Send(HttpResponse response, ReadOnlySpan<byte> body)
    {
        response.ContentLength = body.Length;
        response.BodyWriter.Write(body);
    }

    /// <summary>Where the runtime's deflate cannot be bound: a GZipStream (and its native state) for this one answer.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static async Task WriteGzipStreamAsync(HttpResponse response, EndpointContext lease)
    {
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(lease.Answer.WrittenMemory);
        }

        Send(response, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
    }

    private void WriteNoBid(HttpContext http, EndpointContext lease)
    {
        var response = http.Response;
        response.Headers[HttpHeaderValues.OpenRtbVersionHeader] = HttpHeaderValues.OpenRtbVersion;
        if (!_http.NoBidWithBody)
        {
            response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        var context = lease.Bid;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers.ContentType = HttpHeaderValues.Json;
        lease.Answer.ResetWrittenCount();
        lease.Writer.Reset(lease.Answer);
        // A reason the pipeline gave (a consent refusal) wins over the one read from the path.
        var reason = context.Response.NoBidReason != 0 ? context.Response.NoBidReason : NoBidReason(context.Path);
        BidResponseWriter.WriteNoBid(lease.Writer, context.Request, reason);
        lease.Writer.Flush();
        Send(response, lease.Answer.WrittenSpan);
    }

    /// <summary>OpenRTB list 5.24: 15 insufficient auction time when the deadline decided it; 0 unknown otherwise.</summary>
    private static int NoBidReason(ScoringPath path) => path == ScoringPath.None ? 15 : 0;

    private Task RefuseAsync(HttpContext http, EndpointContext lease, int status, string code, string message, string? field = null)
    {
        _metrics.Refused();
        return ErrorResponse.WriteAsync(http, lease.Writer, status, code, field, message);
    }

    /// <summary>
    /// For a refusal that leaves the rest of the body unread. Kestrel drains an unread body only up
    /// to its own MaxRequestBodySize and closes the connection past that; without Connection: close
    /// in the answer the client keeps the connection and loses its next request to the closing socket
    /// (found by HttpFuzzTests: a 413 for a 400 KB body, then "the response ended prematurely").
    /// </summary>
    private static void CloseAfterAnswer(HttpContext http) => http.Response.Headers.Connection = "close";

    private static Microsoft.Extensions.Primitives.StringValues PathValue(ScoringPath path) => path switch
    {
        ScoringPath.Model => HttpHeaderValues.PathModel,
        ScoringPath.Heuristic => HttpHeaderValues.PathHeuristic,
        ScoringPath.None => HttpHeaderValues.PathNone,
        _ => HttpHeaderValues.PathNoCandidates,
    };
}
