using BidEngine.Core.Budgets;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Time;
using BidEngine.Server.Options;
using Microsoft.Extensions.Options;

namespace BidEngine.Server.Hosting;

/// <summary>
/// The ledger's and the pacers' clockwork, off the request path: every
/// <c>BidEngine:Budgets:SweepSeconds</c> the ledger frees reservations past their time to live,
/// and every <c>BidEngine:Budgets:PacingSeconds</c> each even-paced campaign with a daily budget
/// gets its controller step from today's billed spend. Times are read from the injected clock.
/// </summary>
internal sealed class BudgetService(
    IBudgetLedger ledger,
    CampaignStore store,
    IClock clock,
    IOptions<BidEngineOptions> options,
    ILogger<BudgetService> logger) : BackgroundService
{
    private long _expired;
    private int _paced;
    private int _exhausted;

    /// <summary>Reservations freed by sweeps since start.</summary>
    public long ExpiredTotal => Interlocked.Read(ref _expired);

    /// <summary>Campaigns whose pacer bid on less than every eligible request at the last step.</summary>
    public int PacedCampaigns => Volatile.Read(ref _paced);

    /// <summary>Campaigns whose total or today's budget was used up (spend plus reservations) at the last step.</summary>
    public int ExhaustedCampaigns => Volatile.Read(ref _exhausted);

    /// <summary>One sweep: frees expired reservations. Returns how many.</summary>
    public int SweepOnce()
    {
        var freed = ledger.Expire();
        Interlocked.Add(ref _expired, freed);
        return freed;
    }

    /// <summary>One pacing step for every campaign, and the throttled and exhausted counts.</summary>
    public void PaceOnce()
    {
        var now = clock.UtcNow;
        var paced = 0;
        var exhausted = 0;
        foreach (var campaign in store.Current.Campaigns)
        {
            if (!ledger.TryRead(campaign.Id, out var balance))
            {
                continue;
            }

            if (balance.RemainingNanos == 0 || balance.RemainingTodayNanos == 0)
            {
                exhausted++;
            }

            if (campaign.Rules.Pacing == PacingMode.Even && balance.DailyNanos is { } daily)
            {
                campaign.Pacer.Update(now, balance.SpentTodayNanos, daily);
                if (campaign.Pacer.Probability < 1)
                {
                    paced++;
                }
            }
        }

        Volatile.Write(ref _paced, paced);
        Volatile.Write(ref _exhausted, exhausted);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Budgets;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.SweepSeconds));
        var sinceStep = TimeSpan.Zero;
        var sweep = TimeSpan.FromSeconds(settings.SweepSeconds);
        var step = TimeSpan.FromSeconds(settings.PacingSeconds);
        try
        {
            PaceOnce();
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    SweepOnce();
                    sinceStep += sweep;
                    if (sinceStep >= step)
                    {
                        sinceStep = TimeSpan.Zero;
                        PaceOnce();
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A ledger that fails (a future network store) must not stop the sweeps for good.
                    logger.LogError(e, "Budget sweep or pacing step failed; trying again at the next tick");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
