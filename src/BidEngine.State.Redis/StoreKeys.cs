using System.Globalization;
using StackExchange.Redis;

namespace BidEngine.State.Redis;

/// <summary>Every key and channel the shared state uses, in one place (the README lists them).</summary>
internal sealed class StoreKeys
{
    private readonly string _p;

    public StoreKeys(string prefix)
    {
        _p = prefix;
    }

    public RedisKey Epoch => _p + "epoch";

    public RedisChannel Caps => RedisChannel.Literal(_p + "caps");

    public RedisChannel Shading => RedisChannel.Literal(_p + "shading");

    /// <summary>The fleet's impressions and clicks behind the priors, one hash.</summary>
    public RedisKey Outcomes => _p + "oc";

    public RedisKey Budget(string campaign) => _p + "b:" + campaign;

    public RedisKey Day(string campaign, int day) => _p + "b:" + campaign + ":d:" + day.ToString(CultureInfo.InvariantCulture);

    public RedisKey Lease(string campaign) => _p + "l:" + campaign;

    public RedisKey LeaseExpiry(string campaign) => _p + "lx:" + campaign;

    public RedisKey SettleMarker(long bidId) => _p + "s:" + bidId.ToString(CultureInfo.InvariantCulture);

    public RedisKey Inbox(int epoch) => _p + "inbox:" + epoch.ToString(CultureInfo.InvariantCulture);

    public RedisKey Heartbeat(int epoch) => _p + "node:" + epoch.ToString(CultureInfo.InvariantCulture);

    public RedisKey Replay(long bidId) => _p + "r:" + bidId.ToString(CultureInfo.InvariantCulture);
}
