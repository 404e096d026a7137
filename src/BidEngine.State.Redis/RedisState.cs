using System.Diagnostics;
using BidEngine.Core.Budgets;
using BidEngine.Core.FrequencyCaps;
using BidEngine.Core.Notices;
using BidEngine.Core.State;
using BidEngine.Core.Time;
using BidEngine.State.Redis.Budgets;
using BidEngine.State.Redis.FrequencyCaps;
using BidEngine.State.Redis.Notices;
using StackExchange.Redis;

namespace BidEngine.State.Redis;

/// <summary>
/// A node's share of the fleet's state in a Redis-protocol store (Redis 7, or Garnet with
/// <c>--lua --lua-transaction-mode</c>): its epoch, the leased budget ledger, the shared replay window
/// and frequency caps, and the loop that keeps leases and inboxes moving off the request path. The
/// connection never gives up (<c>AbortOnConnectFail=false</c>) and fails fast while down, so a node
/// whose store goes away keeps bidding from its leases and answers notices Unavailable.
/// </summary>
public sealed class RedisState : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _connection;
    private readonly RedisStateOptions _options;
    private readonly LeasedBudgetLedger _ledger;
    private readonly SharedReplayWindow _replays;
    private readonly SharedFrequencyCaps _caps;
    private CancellationTokenSource? _loopStop;
    private Thread? _loop;
    private TaskCompletionSource? _loopEnded;
    private volatile bool _returnLeasesAtStop;

    private RedisState(ConnectionMultiplexer connection, RedisStateOptions options, IClock clock, int epoch, StoreMetrics metrics, FrequencyCapOptions? capOptions)
    {
        _connection = connection;
        _options = options;
        Epoch = epoch;
        Metrics = metrics;
        var keys = new StoreKeys(options.KeyPrefix);
        var link = new StoreLink(connection.GetDatabase(), metrics, options.KeyPrefix);
        _ledger = new LeasedBudgetLedger(link, keys, clock, options, epoch);
        _replays = new SharedReplayWindow(link, keys, epoch);
        _caps = new SharedFrequencyCaps(new FrequencyCapTable(clock, capOptions), connection.GetSubscriber(), keys.Caps, epoch);
        connection.ConnectionFailed += (_, _) => metrics.SetUp(false);
        connection.ConnectionRestored += (_, _) => metrics.SetUp(true);
    }

    /// <summary>This node's start number in the fleet (for <see cref="BidIds"/>).</summary>
    public int Epoch { get; }

    public IBudgetLedger Ledger => _ledger;

    /// <summary>The ledger with its lease gauges and counters.</summary>
    public LeasedBudgetLedger LeasedLedger => _ledger;

    public IReplayWindow Replays => _replays;

    public IFrequencyCaps Caps => _caps;

    /// <summary>The frequency caps with their pub/sub counters.</summary>
    public SharedFrequencyCaps SharedCaps => _caps;

    public StoreMetrics Metrics { get; }

    /// <summary>
    /// Connects and takes a unique epoch (<c>INCR {p}epoch</c>, wrapped into 1..<see cref="BidIds.MaxEpoch"/>).
    /// A node cannot make bid ids without one, so this waits for the store (retrying) until <paramref name="cancellationToken"/> ends.
    /// </summary>
    public static async Task<RedisState> ConnectAsync(RedisStateOptions options, IClock clock, FrequencyCapOptions? capOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        options.Validate();
        var config = ConfigurationOptions.Parse(options.Configuration);
        config.AbortOnConnectFail = false;
        config.SyncTimeout = config.AsyncTimeout = (int)options.OperationTimeout.TotalMilliseconds;
        config.ConnectTimeout = Math.Max(1000, (int)options.OperationTimeout.TotalMilliseconds);
        // While disconnected a command fails at once rather than queueing until the timeout.
        config.BacklogPolicy = BacklogPolicy.FailFast;
        // Replies are read and completed on the client's own reader and writer threads, not the pool's:
        // the loop and the notices' sync calls wait on them, so a pool held by notices cannot hold their
        // answers back (SE.Redis docs/SyncOverAsync.md; two threads per connection).
        ConnectionMultiplexer.SetFeatureFlag("DedicatedThreads", true);
        var connection = await ConnectionMultiplexer.ConnectAsync(config).ConfigureAwait(false);
        var metrics = new StoreMetrics();
        try
        {
            var keys = new StoreKeys(options.KeyPrefix);
            var epoch = 0;
            while (epoch == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    var count = await connection.GetDatabase().StringIncrementAsync(keys.Epoch).ConfigureAwait(false);
                    epoch = (int)(((count - 1) % BidIds.MaxEpoch) + 1);
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    await Task.Delay(options.OperationTimeout, cancellationToken).ConfigureAwait(false);
                }
            }

            metrics.SetUp(true);
            return new RedisState(connection, options, clock, epoch, metrics, capOptions);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Subscribes to the fleet's impressions and starts the loop (leases, inbox, heartbeat, unmark
    /// retries) on a thread of its own, returning after its first turn. Notices block pool threads on
    /// the store (the interfaces are synchronous); the loop needs none, so they cannot make leases lapse.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_loop is not null)
        {
            return;
        }

        try
        {
            await _caps.SubscribeAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The store is away: the connection subscribes again when it comes back.
        }

        _loopStop = new CancellationTokenSource();
        _loopEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstTurn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stop = _loopStop.Token;
        var ended = _loopEnded;
        _loop = new Thread(() => Run(stop, firstTurn, ended)) { IsBackground = true, Name = "BidEngine state loop " + Epoch };
        _loop.Start();
        await firstTurn.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the loop and gives the leases back (their outstanding part stays leased for the reservations' late bills).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_loopStop is null || _loopEnded is null)
        {
            return;
        }

        // The loop gives the leases back as its last turn, on its own thread.
        _returnLeasesAtStop = true;
        await _loopStop.CancelAsync().ConfigureAwait(false);
        await _loopEnded.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        _loopStop.Dispose();
        _loopStop = null;
        _loopEnded = null;
        _loop = null;
        try
        {
            await _caps.UnsubscribeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
        }
    }

    /// <summary>Closes the connection without giving leases back (what a crash leaves; call <see cref="StopAsync"/> first to stop cleanly).</summary>
    /// <summary>Pools <paramref name="local"/> (what this node observed for the priors) with the fleet's through the store.</summary>
    public Heuristics.OutcomeCountPool PoolOutcomes(Core.Heuristics.OutcomeCounts local) => new(_connection.GetDatabase(), new StoreKeys(_options.KeyPrefix).Outcomes, local);

    /// <summary>Shares <paramref name="local"/>'s first-price outcomes with the fleet (and learns the others'), over <c>{p}shading</c>.</summary>
    public async Task<Pricing.SharedShading> ShareShadingAsync(Core.Pricing.IBidShading local, Func<Core.Campaigns.CampaignSnapshot> campaigns)
    {
        var shading = new Pricing.SharedShading(local, campaigns, _connection.GetSubscriber(), new StoreKeys(_options.KeyPrefix).Shading, Epoch);
        await shading.SubscribeAsync().ConfigureAwait(false);
        return shading;
    }

    public async ValueTask DisposeAsync()
    {
        if (_loopStop is not null && _loopEnded is not null)
        {
            await _loopStop.CancelAsync().ConfigureAwait(false);
            await _loopEnded.Task.ConfigureAwait(false);
            _loopStop.Dispose();
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The loop's thread: a turn every <see cref="RedisStateOptions.LoopInterval"/> (fixed rate; a late
    /// turn skips the ticks it missed), each at most two operation timeouts long (inbox, then the
    /// pipelined leases), blocking here on the store's replies and never on the pool.
    /// </summary>
    private void Run(CancellationToken stop, TaskCompletionSource firstTurn, TaskCompletionSource ended)
    {
        try
        {
            var interval = (long)(_options.LoopInterval.TotalSeconds * Stopwatch.Frequency);
            var next = Stopwatch.GetTimestamp();
            while (!stop.IsCancellationRequested)
            {
                TurnOnce();
                firstTurn.TrySetResult();
                var now = Stopwatch.GetTimestamp();
                next = Math.Max(next + interval, now);
                if (stop.WaitHandle.WaitOne(Stopwatch.GetElapsedTime(now, next)))
                {
                    break;
                }
            }

            if (_returnLeasesAtStop)
            {
                _ledger.ReturnLeases();
            }
        }
        catch (Exception e)
        {
            Metrics.Failed(notice: false, timeout: false, e.Message);
        }
        finally
        {
            firstTurn.TrySetResult();
            ended.TrySetResult();
        }
    }

    private void TurnOnce()
    {
        try
        {
            _ledger.Turn();
            _replays.RetryPending();
        }
        catch (Exception e)
        {
            // An answer of an unexpected shape must not end the loop: leases would lapse fleet-wide.
            Metrics.Failed(notice: false, timeout: false, e.Message);
        }
    }
}
