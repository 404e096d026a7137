using System.Diagnostics;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Pipeline;
using BidEngine.Model;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Writing;
using BidEngine.Server.Endpoints;

namespace BidEngine.Server.Hosting;

/// <summary>
/// Runs the whole request path on a sample request until the JIT has compiled it (and the model
/// has run each batch size), then marks the server ready. Until then <c>/readyz</c> is 503.
/// </summary>
internal sealed class WarmupService(BidPipeline pipeline, ReadinessState readiness, IServiceProvider services, ILogger<WarmupService> logger) : IHostedService
{
    private const int Rounds = 2000;

    private static readonly byte[] SampleRequest = """
        {"id":"warmup","tmax":1000,"cur":["USD"],
         "imp":[{"id":"1","banner":{"w":300,"h":250,"format":[{"w":300,"h":250},{"w":728,"h":90}]},"bidfloor":0.01},
                {"id":"2","video":{"mimes":["video/mp4"],"w":640,"h":480,"maxduration":30}}],
         "site":{"id":"s","domain":"warmup.example","publisher":{"id":"p"}},
         "device":{"devicetype":4,"os":"iOS","make":"Apple","geo":{"country":"USA","utcoffset":-300}}}
        """u8.ToArray();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(() => WarmUpAsync(cancellationToken), cancellationToken);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Every batch bucket of the model runs first, so its cost estimates are real before traffic.
            services.GetService<OnnxCtrScorer>()?.Warmup();
            var context = new EndpointContext();
            var sink = new System.Buffers.ArrayBufferWriter<byte>(4096);
            for (var i = 0; i < Rounds && !cancellationToken.IsCancellationRequested; i++)
            {
                context.TryReset();
                BidRequestParser.Parse(SampleRequest, context.Bid.Request);
                context.Bid.Deadline = RequestDeadline.None;
                await pipeline.DecideAsync(context.Bid, cancellationToken);
                sink.ResetWrittenCount();
                context.Writer.Reset(sink);
                BidResponseWriter.Write(context.Writer, context.Bid.Request, context.Bid.Response);
                context.Writer.Flush();
            }

            readiness.MarkReady();
            logger.LogInformation("Warm-up done in {Elapsed} ms; ready to bid", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e)
        {
            logger.LogCritical(e, "Warm-up failed; /readyz stays 503");
        }
    }
}
