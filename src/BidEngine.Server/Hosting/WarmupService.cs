using System.Diagnostics;
using System.Net.Http.Headers;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Pipeline;
using BidEngine.Model;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Writing;
using BidEngine.Server.Endpoints;
using BidEngine.Server.Metrics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace BidEngine.Server.Hosting;

/// <summary>
/// Warms the server before it says it is ready: the model runs every batch size (seeding the
/// cost estimates the deadline uses), the pipeline runs until the JIT has optimised it, and then
/// real requests go through Kestrel and the endpoint over loopback, so that the first exchange
/// traffic does not meet unoptimised HTTP code. Measured: without the HTTP round, a bidder hit
/// with 16k requests/s straight after /readyz fell to a few hundred answers per second. Until
/// then <c>/readyz</c> is 503. Warm-up bids reserve their price like any bid (that path needs
/// warming too) and are released at once, as lost auctions: warm-up spends nothing.
/// </summary>
internal sealed class WarmupService(
    BidPipeline pipeline,
    ReadinessState readiness,
    IServiceProvider services,
    IServer server,
    BidMetrics metrics,
    IHostApplicationLifetime lifetime,
    Microsoft.Extensions.Options.IOptions<Options.BidEngineOptions> options,
    ILogger<WarmupService> logger) : IHostedService
{
    private const int PipelineRounds = 2000;
    private const int HttpConnections = 8;

    /// <summary>Extra HTTP rounds go on while the JIT still compiles (tier-1 recompiles trail the calls).</summary>
    private const int SettleRounds = 500;

    /// <summary>Rounds in a row without a new compiled method before the JIT counts as quiet.</summary>
    private const int QuietRoundsNeeded = 3;

    private static readonly IReadOnlyList<WarmupRequests.Body> Bodies = WarmupRequests.Create();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(() => WarmUpAsync(lifetime.ApplicationStopping), CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WarmUpAsync(CancellationToken stopping)
    {
        var started = Stopwatch.GetTimestamp();
        WarnAboutSingleCpuTiering();
        try
        {
            services.GetService<OnnxCtrScorer>()?.Warmup();
            await WarmPipelineAsync(stopping);
            await WarmHttpAsync(stopping);
            metrics.StartRecording();
            services.GetService<SpendMetrics>()?.StartRecording();
            services.GetService<PrivacyMetrics>()?.StartRecording();
            services.GetService<TrafficMetrics>()?.StartRecording();
            services.GetService<Core.Traffic.TrafficFilter>()?.Enforce();
            services.GetService<ScorerMetrics>()?.StartRecording();
            services.GetService<Core.Events.EventLog>()?.ResumeDecisions();
            readiness.MarkReady();
            logger.LogInformation("Warm-up done in {Elapsed} ms; ready to bid", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogCritical(e, "Warm-up failed; /readyz stays 503");
        }
    }

    /// <summary>
    /// On one CPU the runtime waits ten times longer (1 s instead of 100 ms, restarted by every new
    /// method) before it optimises hot code, so a one-CPU bidder ran unoptimised code for its
    /// first ~100k requests: measured pinned to one core, p50 10-15 ms and shedding at 4k
    /// requests/s for about 30 s, against p50 1.2 ms once optimised. The multiplier can only be
    /// set from the environment, before the process starts.
    /// </summary>
    private void WarnAboutSingleCpuTiering()
    {
        if (Environment.ProcessorCount == 1 && Environment.GetEnvironmentVariable("DOTNET_TC_DelaySingleProcMultiplier") is null)
        {
            logger.LogWarning(
                "The bidder sees one CPU: the runtime delays optimising hot code tenfold there, and the first tens of thousands of requests run slow. Start it with DOTNET_TC_DelaySingleProcMultiplier=1 (see the README)");
        }
    }

    private async Task WarmPipelineAsync(CancellationToken stopping)
    {
        var context = new EndpointContext();
        var sink = new System.Buffers.ArrayBufferWriter<byte>(4096);
        var plain = Bodies.Where(b => !b.Gzip).ToArray();
        for (var i = 0; i < PipelineRounds && !stopping.IsCancellationRequested; i++)
        {
            context.TryReset();
            BidRequestParser.Parse(plain[i % plain.Length].Bytes, context.Bid.Request);
            context.Bid.Deadline = RequestDeadline.None;
            await pipeline.DecideAsync(context.Bid, stopping);
            var bids = context.Bid.Response.Bids;
            for (var b = 0; b < bids.Count; b++)
            {
                pipeline.ReleaseUnsent(bids[b]);
            }

            sink.ResetWrittenCount();
            context.Writer.Reset(sink);
            BidResponseWriter.Write(context.Writer, context.Bid.Request, context.Bid.Response);
            context.Writer.Flush();
        }
    }

    /// <summary>Sends real requests to this server's own loopback address once Kestrel listens.</summary>
    private async Task WarmHttpAsync(CancellationToken stopping)
    {
        var startedListening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => startedListening.TrySetResult()))
        {
            await startedListening.Task.WaitAsync(stopping);
        }

        // A bid listener's address (the management listener has no bid route), on loopback.
        var managementPort = options.Value.Management.Port;
        Uri? baseUri = null;
        foreach (var address in server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            if (Uri.TryCreate(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                && uri.Port != managementPort)
            {
                baseUri = uri;
                break;
            }
        }

        if (baseUri is null)
        {
            logger.LogWarning("No HTTP address to warm up on; skipping the HTTP round");
            return;
        }

        var warmup = options.Value.Warmup;
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = HttpConnections }) { BaseAddress = baseUri };
        var target = new Uri(baseUri, "/openrtb2/bid");
        await SendAsync(client, target, warmup.HttpRequests, Gate, stopping);

        // Ready only once the JIT has gone quiet: right after the first rounds it is still
        // recompiling hot methods at tier 1, and that work would land on the first real traffic
        // (measured: p99 20 ms at 4k requests/s in the first seconds, 3 ms after).
        // One quiet round is not enough: the runtime only starts counting calls for tier 1 after a
        // pause in new compilations, so a quiet round can come just before the next burst.
        var settle = Stopwatch.StartNew();
        var quietRounds = 0;
        while (quietRounds < QuietRoundsNeeded && settle.Elapsed < TimeSpan.FromSeconds(warmup.SettleSeconds))
        {
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            await Task.Delay(250, stopping);
            await SendAsync(client, target, SettleRounds, Gate, stopping);
            quietRounds = System.Runtime.JitInfo.GetCompiledMethodCount() == compiled ? quietRounds + 1 : 0;
        }

        logger.LogInformation(
            "Warm-up HTTP rounds settled after {Seconds:F1} s ({Quiet} quiet rounds of {Rounds})",
            settle.Elapsed.TotalSeconds,
            quietRounds,
            SettleRounds);
    }

    private Core.Eligibility.CampaignGate? Gate => services.GetService<Core.Eligibility.CampaignGate>();

    private static async Task SendAsync(HttpClient client, Uri target, int rounds, Core.Eligibility.CampaignGate? gate, CancellationToken stopping)
    {
        var next = -1;
        var workers = Enumerable.Range(0, HttpConnections).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < rounds && !stopping.IsCancellationRequested)
            {
                var body = Bodies[n % Bodies.Count];
                using var content = new ByteArrayContent(body.Bytes);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                if (body.Gzip)
                {
                    content.Headers.ContentEncoding.Add("gzip");
                }

                using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = content };
                if (n % 4 == 0)
                {
                    // Answers are gzip-compressed for exchanges that ask: that path needs warming too.
                    request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
                }

                using var response = await client.SendAsync(request, stopping);
                if (response.StatusCode != System.Net.HttpStatusCode.OK || gate is null)
                {
                    await response.Content.CopyToAsync(Stream.Null, stopping);
                    continue;
                }

                await using var stream = await response.Content.ReadAsStreamAsync(stopping);
                await using var answer = response.Content.Headers.ContentEncoding.Contains("gzip")
                    ? new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress)
                    : stream;
                ReleaseBids(gate, await System.Text.Json.JsonDocument.ParseAsync(answer, cancellationToken: stopping));
            }
        });
        await Task.WhenAll(workers);
    }

    /// <summary>A warm-up bid is a lost auction: its reservation is released.</summary>
    private static void ReleaseBids(Core.Eligibility.CampaignGate gate, System.Text.Json.JsonDocument answer)
    {
        using (answer)
        {
            // A no-bid sent as 200 {"id","nbr"} (Http:NoBidWithBody) has no seatbid: nothing to release.
            if (!answer.RootElement.TryGetProperty("seatbid", out var seats))
            {
                return;
            }

            foreach (var seat in seats.EnumerateArray())
            {
                foreach (var bid in seat.GetProperty("bid").EnumerateArray())
                {
                    gate.Release(bid.GetProperty("cid").GetString()!, long.Parse(bid.GetProperty("id").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }
    }
}
