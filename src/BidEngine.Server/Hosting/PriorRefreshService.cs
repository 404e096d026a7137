using BidEngine.Core.Heuristics;
using BidEngine.Server.Options;
using Microsoft.Extensions.Options;

namespace BidEngine.Server.Hosting;

/// <summary>
/// Refreshes the heuristic's prior CTRs from the counted outcomes every
/// <c>BidEngine:Notices:RefreshSeconds</c>, and once more on the way down so that a saved table
/// holds everything seen. A refresh that fails (the save path unwritable) is logged; the next one tries again.
/// </summary>
internal sealed class PriorRefreshService(PriorRefresher refresher, IOptions<BidEngineOptions> options, ILogger<PriorRefreshService> logger) : BackgroundService
{
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        RefreshOnce();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.Notices.RefreshSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                RefreshOnce();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void RefreshOnce()
    {
        try
        {
            if (refresher.Refresh())
            {
                logger.LogDebug("Prior CTRs refreshed from observed outcomes");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "Refreshed prior CTRs could not be saved to {Path}; the bidder uses them anyway", options.Value.Notices.SavePath);
        }
    }
}
