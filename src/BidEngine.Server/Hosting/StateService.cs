using BidEngine.Core.Budgets;
using BidEngine.Core.FrequencyCaps;
using BidEngine.Core.Heuristics;
using BidEngine.Core.Notices;
using BidEngine.Core.Pricing;
using BidEngine.Core.State;
using BidEngine.Core.Time;
using BidEngine.Server.Options;
using BidEngine.State.Redis;
using BidEngine.State.Redis.Heuristics;
using Microsoft.Extensions.Options;

namespace BidEngine.Server.Hosting;

/// <summary>
/// Opens the money state when the bidder starts (after the campaigns, whose limits the ledger needs),
/// hands out this start's bid ids, writes a snapshot every <c>State:CheckpointSeconds</c>, and at
/// shutdown flushes the journal and writes a last snapshot. With <c>State:Durable</c> false the state
/// is memory only and bid ids take a random epoch.
/// </summary>
internal sealed class StateService : BackgroundService, IDurability
{
    private readonly StateOptions _options;
    private readonly ILogger<StateService> _logger;
    private readonly EmbeddedState? _state;
    private readonly RedisState? _shared;

    /// <remarks>
    /// The in-process parts are resolved here only for the embedded state: on a fleet's store nothing
    /// else asks for them, so the replay window (~36 MB) and the cap table (~24 MB) are never made.
    /// </remarks>
    public StateService(IOptions<BidEngineOptions> options, IServiceProvider services, ILogger<StateService> logger)
    {
        _options = options.Value.State;
        _logger = logger;
        if (!string.IsNullOrWhiteSpace(_options.Redis))
        {
            // Notices wait on the store synchronously (their checks run on stack spans, up to the store's
            // timeout each): with the pool's default minimum of one thread a core, a few such waits left
            // Kestrel and the lease loop queued behind them, and store calls timed out that the store had
            // answered in a millisecond. More threads at once, before the pool's slow growth.
            ThreadPool.GetMinThreads(out var workers, out var io);
            ThreadPool.SetMinThreads(Math.Max(workers, _options.MinThreadsWithStore), Math.Max(io, _options.MinThreadsWithStore));
            _shared = services.GetRequiredService<RedisState>();
            OutcomePool = _shared.PoolOutcomes(services.GetRequiredService<OutcomeCounts>());
            BidIds = new BidIds(_shared.Epoch);
            logger.LogInformation("State shared through the store at {Store}: node epoch {Epoch}", _options.Redis, _shared.Epoch);
            return;
        }

        if (!_options.Durable)
        {
            BidIds = BidIds.Random();
            logger.LogWarning("BidEngine:State:Durable is false: spend, reservations and notices are kept in memory only and forgotten at exit");
            return;
        }

        // The campaigns first: the ledger restores only the accounts of campaigns it has limits for.
        var campaigns = services.GetRequiredService<CampaignStore>();
        var folder = _options.ResolvedFolder();
        _state = EmbeddedState.Open(
            folder,
            services.GetRequiredService<InProcessBudgetLedger>(),
            services.GetRequiredService<ReplayWindow>(),
            services.GetRequiredService<FrequencyCapTable>(),
            services.GetRequiredService<OutcomeCounts>(),
            services.GetRequiredService<LearnedShading>(),
            () => campaigns.Current,
            services.GetRequiredService<IClock>(),
            TimeSpan.FromMilliseconds(_options.FlushIntervalMilliseconds));
        BidIds = new BidIds(_state.Epoch);
        logger.LogInformation(
            "State folder {Folder}: start {Epoch}, snapshot {Snapshot}, {Records} journal records replayed in {Milliseconds} ms{Torn}",
            folder, _state.Epoch, _state.RecoveredSnapshot?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none", _state.RecoveredRecords,
            (long)_state.RecoveryTime.TotalMilliseconds, _state.RecoveredTornTail ? " (the last segment ended mid-frame: the process had been killed)" : "");
    }

    /// <summary>This start's bid ids.</summary>
    public BidIds BidIds { get; }

    /// <summary>The embedded state, or null when it is memory only.</summary>
    public EmbeddedState? State => _state;

    /// <summary>The priors' counts pooled with the fleet's (synced every <see cref="PoolInterval"/>), or null for the embedded state.</summary>
    public OutcomeCountPool? OutcomePool { get; }

    /// <summary>How often a fleet node pools its outcome counts: the priors refresh far less often (<c>Notices:RefreshSeconds</c>).</summary>
    public static readonly TimeSpan PoolInterval = TimeSpan.FromSeconds(5);

    /// <summary>The fleet's store, or null for the embedded state.</summary>
    public RedisState? Shared => _shared;

    public Task WhenDurableAsync() => _state?.WhenDurableAsync() ?? Task.CompletedTask;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_shared is not null)
        {
            await _shared.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_shared is not null)
        {
            // Gives back what the leases hold beyond the bids still outstanding.
            await _shared.StopAsync(cancellationToken).ConfigureAwait(false);
            await _shared.DisposeAsync().ConfigureAwait(false);
        }

        if (_state is not null)
        {
            _state.Dispose();
            _logger.LogInformation("State flushed and snapshotted in {Folder}", _state.Folder);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (OutcomePool is { } pool)
        {
            await PoolAsync(pool, stoppingToken).ConfigureAwait(false);
            return;
        }

        if (_state is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.CheckpointSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    _state.Checkpoint();
                }
                catch (IOException e)
                {
                    _logger.LogError(e, "A state snapshot could not be written in {Folder}; the journal keeps growing until one is", _state.Folder);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task PoolAsync(OutcomeCountPool pool, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PoolInterval);
        try
        {
            do
            {
                await pool.SyncAsync().ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
