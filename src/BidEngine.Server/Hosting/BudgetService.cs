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
    private CapacityState _capacity;

    /// <summary>How full the ledger was at the last sweep, as far as the warning log goes.</summary>
    internal enum CapacityState
    {
        Roomy,
        NearlyFull,
        Full,
    }

    /// <summary>Records the ledger holds now (outstanding and remembered), or -1 for a ledger that does not say.</summary>
    public int LedgerRecords => ledger is InProcessBudgetLedger local ? local.Held : -1;

    /// <summary>The most records the ledger holds before it refuses bids (<c>Budgets:MaxReservations</c>).</summary>
    public int LedgerCapacity => options.Value.Budgets.MaxReservations;

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
        WatchCapacity();
        return freed;
    }

    /// <summary>
    /// Says so in the log when the ledger nears its limit (90%) and when it reaches it, once per
    /// crossing, and again when it has room (under 80%): a full ledger refuses every bid (counted as
    /// <c>bidengine_reservations_total{outcome="ledger_full"}</c>), which otherwise only shows as a
    /// bidder that stopped bidding.
    /// </summary>
    internal CapacityState WatchCapacity()
    {
        var held = LedgerRecords;
        var capacity = LedgerCapacity;
        if (held < 0)
        {
            return _capacity;
        }

        // Between 80% and 90% the state stands (a ledger hovering at 90% logs once), except that a
        // full one has room again.
        var state = _capacity;
        if (held >= capacity)
        {
            state = CapacityState.Full;
        }
        else if (held < capacity * 0.8)
        {
            state = CapacityState.Roomy;
        }
        else if (held >= capacity * 0.9 || _capacity == CapacityState.Full)
        {
            state = CapacityState.NearlyFull;
        }
        if (state > _capacity)
        {
            var settings = options.Value.Budgets;
            logger.LogWarning(
                "The budget ledger holds {Held} of {Capacity} reservation records (BidEngine:Budgets:MaxReservations){Consequence}. "
                + "Records live BidEngine:Budgets:ReservationTtlSeconds + LateNoticeWindowSeconds ({Seconds} s), so the limit carries about {Rate} bids/s: "
                + "raise it, or shorten those times, for a higher bid rate",
                held,
                capacity,
                state == CapacityState.Full ? ": every bid is refused until sweeps free room" : "",
                settings.ReservationTtlSeconds + settings.LateNoticeWindowSeconds,
                capacity / Math.Max(1, settings.ReservationTtlSeconds + settings.LateNoticeWindowSeconds));
        }
        else if (state == CapacityState.Roomy && _capacity != CapacityState.Roomy)
        {
            logger.LogInformation("The budget ledger has room again: {Held} of {Capacity} reservation records", held, capacity);
        }

        _capacity = state;
        return state;
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

            if (campaign.Rules.Pacing == PacingMode.Even && balance.DailyNanos is { } daily && campaign.Pacer is { } pacer)
            {
                pacer.Update(now, balance.SpentTodayNanos, daily);
                if (pacer.Probability < 1)
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
