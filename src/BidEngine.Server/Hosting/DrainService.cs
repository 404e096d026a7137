using BidEngine.Server.Options;
using Microsoft.Extensions.Options;

namespace BidEngine.Server.Hosting;

/// <summary>
/// The first step of the way down. On SIGTERM (or Ctrl+C) the host asks every lifecycle service to
/// begin stopping before it stops any of them, Kestrel included: here <c>/readyz</c> turns 503 and the
/// bidder goes on answering bids and notices for <c>Shutdown:DrainSeconds</c>, long enough for a load
/// balancer to see it and move traffic away. Then the host stops Kestrel (no new connections; requests
/// in flight finish within what is left of <c>Shutdown:TimeoutSeconds</c>) and after it the services
/// that flush the bid log, snapshot the state and give leases back.
/// </summary>
internal sealed class DrainService(
    ReadinessState readiness,
    IOptions<BidEngineOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<DrainService> logger) : IHostedLifecycleService
{
    private CancellationTokenRegistration _stopping;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        // Not ready from the very first moment, whichever service the host asks first.
        _stopping = lifetime.ApplicationStopping.Register(readiness.BeginDrain);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var wasReady = readiness.WasReady;
        readiness.BeginDrain();
        var drain = TimeSpan.FromSeconds(options.Value.Shutdown.DrainSeconds);
        if (!wasReady || drain <= TimeSpan.Zero)
        {
            logger.LogInformation("Stopping without a drain ({Reason})", wasReady ? "BidEngine:Shutdown:DrainSeconds is 0" : "never ready, so no traffic to move");
            return;
        }

        logger.LogInformation("Draining: /readyz answers 503, bids and notices are still answered for {Seconds} s (BidEngine:Shutdown:DrainSeconds)", drain.TotalSeconds);
        try
        {
            await Task.Delay(drain, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Drain cut short: the shutdown timeout (BidEngine:Shutdown:TimeoutSeconds) ran out first");
            return;
        }

        logger.LogInformation("Drain over: closing the listeners and finishing requests in flight");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        _stopping.Dispose();
        return Task.CompletedTask;
    }
}
