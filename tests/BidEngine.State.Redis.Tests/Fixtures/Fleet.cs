using BidEngine.Core.Budgets;
using BidEngine.Core.State;
using BidEngine.Core.Time;
using BidEngine.State.Redis.Notices;
using StackExchange.Redis;

namespace BidEngine.State.Redis.Tests.Fixtures;

/// <summary>Nodes of one fleet on a store, under a key prefix of their own so that tests can share the store.</summary>
public sealed class Fleet : IAsyncDisposable
{
    private readonly StoreProcess _store;
    private readonly List<RedisState> _nodes = [];

    public Fleet(StoreProcess store, Func<RedisStateOptions, RedisStateOptions>? tune = null)
    {
        _store = store;
        var options = new RedisStateOptions
        {
            Configuration = store.Configuration,
            KeyPrefix = $"t{Guid.NewGuid():N}:",
            LoopInterval = TimeSpan.FromMilliseconds(50),
            NodeLeaseTtl = TimeSpan.FromSeconds(3),
            // Two shared cores and test classes in parallel: 300 ms (the default) times out now and then here.
            OperationTimeout = TimeSpan.FromSeconds(1),
        };
        Options = tune?.Invoke(options) ?? options;
    }

    public RedisStateOptions Options { get; }

    public async Task<RedisState> StartNodeAsync(params (string Campaign, BudgetLimits Limits)[] campaigns)
    {
        var node = await RedisState.ConnectAsync(Options, SystemClock.Instance);
        foreach (var (campaign, limits) in campaigns)
        {
            node.Ledger.SetLimits(campaign, limits);
        }

        await node.StartAsync(CancellationToken.None);
        _nodes.Add(node);
        return node;
    }

    /// <summary>What the store says the fleet spent on a campaign.</summary>
    public long StoreSpent(string campaign) => (long)_store.Db.HashGet(Options.KeyPrefix + "b:" + campaign, "spent");

    /// <summary>The sum of the slices nodes hold, as the store counts it.</summary>
    public long StoreLeased(string campaign) => (long)_store.Db.HashGet(Options.KeyPrefix + "b:" + campaign, "leased");

    public IDatabase Db => _store.Db;

    /// <summary>The mark bits the store holds for a bid (the attempt token above them left out).</summary>
    public long StoredMarks(long bidId) => (long)_store.Db.StringGet(Options.KeyPrefix + "r:" + bidId) % 256;

    /// <summary>A replay window of a node of its own (an epoch taken as a node takes one) whose script replies can be lost, and one of its bids.</summary>
    internal (SharedReplayWindow Window, LosingReplies Replies, long BidId) LossyReplayWindow()
    {
        var epoch = (int)_store.Db.StringIncrement(Options.KeyPrefix + "epoch");
        var (database, replies) = LosingReplies.Wrap(_store.Db);
        var link = new StoreLink(database, new StoreMetrics(), Options.KeyPrefix);
        return (new SharedReplayWindow(link, new StoreKeys(Options.KeyPrefix), epoch), replies, new BidIds(epoch).Next());
    }

    /// <summary>Drops a node as kill -9 would: no leases given back, its connection just goes.</summary>
    public async Task KillAsync(RedisState node)
    {
        _nodes.Remove(node);
        await node.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    /// <summary>Polls until <paramref name="done"/> or the time is up.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> done, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (done())
            {
                return true;
            }

            await Task.Delay(20);
        }

        return done();
    }
}
