using System.Buffers.Binary;
using System.Collections.Concurrent;
using BidEngine.Core.Campaigns;
using BidEngine.Core.FrequencyCaps;
using StackExchange.Redis;

namespace BidEngine.State.Redis.FrequencyCaps;

/// <summary>
/// Frequency caps for a fleet: each node answers from its own <see cref="FrequencyCapTable"/> (the bid
/// path never waits), and every impression counted here is published on <c>{p}caps</c> so that every
/// other node counts it in its table too.
/// <para>
/// Staleness: another node sees an impression after pub/sub delivery (sub-millisecond to a few ms on
/// a healthy store), so in that time a user may be shown up to (nodes − 1) more impressions than the
/// cap, on top of the bids in flight that <see cref="FrequencyCapTable"/> already allows. Pub/sub does
/// not store: an impression published while the store or a node's subscription is down is never seen
/// by the others (under-cap by what was counted in the outage). Each node counts a delivered
/// impression in its own window from the time it arrives (monotonic clocks are per node).
/// </para>
/// </summary>
public sealed class SharedFrequencyCaps : IFrequencyCaps
{
    /// <summary>user 8, campaign 8, impressions 4, window 4, unknown-user policy 1, epoch 4.</summary>
    private const int MessageSize = 29;

    private readonly FrequencyCapTable _local;
    private readonly ISubscriber _subscriber;
    private readonly RedisChannel _channel;
    private readonly int _epoch;
    private readonly ConcurrentDictionary<(int, int, UnknownUserPolicy), FrequencyCap> _caps = new();
    private long _published;
    private long _received;

    internal SharedFrequencyCaps(FrequencyCapTable local, ISubscriber subscriber, RedisChannel channel, int epoch)
    {
        _local = local;
        _subscriber = subscriber;
        _channel = channel;
        _epoch = epoch;
    }

    /// <summary>Impressions this node published.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Impressions other nodes counted that reached this one.</summary>
    public long Received => Interlocked.Read(ref _received);

    public bool Allows(ulong user, ulong campaign, FrequencyCap cap) => _local.Allows(user, campaign, cap);

    public int CountInWindow(ulong user, ulong campaign, FrequencyCap cap) => _local.CountInWindow(user, campaign, cap);

    /// <summary>Counts here at once and publishes without waiting (fire and forget: a notice never waits for the others to hear it).</summary>
    public void Count(ulong user, ulong campaign, FrequencyCap cap)
    {
        if (user == 0)
        {
            return;
        }

        _local.Count(user, campaign, cap);
        var message = new byte[MessageSize];
        BinaryPrimitives.WriteUInt64LittleEndian(message, user);
        BinaryPrimitives.WriteUInt64LittleEndian(message.AsSpan(8), campaign);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(16), cap.Impressions);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(20), cap.WindowSeconds);
        message[24] = (byte)cap.UnknownUsers;
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(25), _epoch);
        try
        {
            _subscriber.Publish(_channel, message, CommandFlags.FireAndForget);
            Interlocked.Increment(ref _published);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Out of reach: the others under-count this one (stated above); the local count stands.
        }
    }

    internal Task SubscribeAsync() => _subscriber.SubscribeAsync(_channel, (_, value) => OnMessage(value));

    internal Task UnsubscribeAsync() => _subscriber.UnsubscribeAsync(_channel);

    private void OnMessage(RedisValue value)
    {
        var message = (ReadOnlyMemory<byte>)value;
        if (message.Length != MessageSize)
        {
            return;
        }

        var span = message.Span;
        if (BinaryPrimitives.ReadInt32LittleEndian(span[25..]) == _epoch)
        {
            return;
        }

        var impressions = BinaryPrimitives.ReadInt32LittleEndian(span[16..]);
        var window = BinaryPrimitives.ReadInt32LittleEndian(span[20..]);
        var policy = (UnknownUserPolicy)span[24];
        if (impressions is < 1 or > FrequencyCap.MaxImpressions || window is < 1 or > FrequencyCap.MaxWindowSeconds)
        {
            return;
        }

        var cap = _caps.GetOrAdd((impressions, window, policy), static k => new FrequencyCap(k.Item1, k.Item2, k.Item3));
        _local.Count(BinaryPrimitives.ReadUInt64LittleEndian(span), BinaryPrimitives.ReadUInt64LittleEndian(span[8..]), cap);
        Interlocked.Increment(ref _received);
    }
}
