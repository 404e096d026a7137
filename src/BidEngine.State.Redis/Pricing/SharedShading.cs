using System.Buffers.Binary;
using System.Text;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Pricing;
using StackExchange.Redis;

namespace BidEngine.State.Redis.Pricing;

/// <summary>
/// First-price shading for a fleet: each node prices from its own learner (the bid path never waits),
/// and every win or loss it is told is published on <c>{p}shading</c> so that every other node learns
/// from it too: each node learns from the fleet's notices, not the share a load balancer sent it.
/// Pub/sub does not store: what is published while the store is away is learned only where it was
/// noticed; a new node learns from what arrives after it starts (its own state folder is not used in a fleet).
/// </summary>
public sealed class SharedShading : IBidShading
{
    /// <summary>won 1, bid 8, value 8, min-to-win 8 (NaN: none), loss reason 4, epoch 4, then the campaign id.</summary>
    private const int HeaderSize = 33;

    private readonly IBidShading _local;
    private readonly Func<CampaignSnapshot> _campaigns;
    private readonly ISubscriber _subscriber;
    private readonly RedisChannel _channel;
    private readonly int _epoch;
    private long _published;
    private long _received;

    internal SharedShading(IBidShading local, Func<CampaignSnapshot> campaigns, ISubscriber subscriber, RedisChannel channel, int epoch)
    {
        _local = local;
        _campaigns = campaigns;
        _subscriber = subscriber;
        _channel = channel;
        _epoch = epoch;
    }

    /// <summary>Observations this node published.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Observations of other nodes learned here.</summary>
    public long Received => Interlocked.Read(ref _received);

    public double FirstPriceFactor(Campaign campaign) => _local.FirstPriceFactor(campaign);

    public void ObserveWin(Campaign campaign, double bidCpm, double valueCpm, double? minToWinCpm)
    {
        _local.ObserveWin(campaign, bidCpm, valueCpm, minToWinCpm);
        Publish(campaign, won: true, bidCpm, valueCpm, minToWinCpm, 0);
    }

    public void ObserveLoss(Campaign campaign, double bidCpm, double valueCpm, int lossReason, double? minToWinCpm)
    {
        _local.ObserveLoss(campaign, bidCpm, valueCpm, lossReason, minToWinCpm);
        Publish(campaign, won: false, bidCpm, valueCpm, minToWinCpm, lossReason);
    }

    internal Task SubscribeAsync() => _subscriber.SubscribeAsync(_channel, (_, value) => OnMessage(value));

    /// <summary>Fire and forget, off the bid path (notices only): a notice never waits for the others to hear it.</summary>
    private void Publish(Campaign campaign, bool won, double bidCpm, double valueCpm, double? minToWinCpm, int lossReason)
    {
        var message = new byte[HeaderSize + Encoding.UTF8.GetByteCount(campaign.Id)];
        message[0] = won ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteDoubleLittleEndian(message.AsSpan(1), bidCpm);
        BinaryPrimitives.WriteDoubleLittleEndian(message.AsSpan(9), valueCpm);
        BinaryPrimitives.WriteDoubleLittleEndian(message.AsSpan(17), minToWinCpm ?? double.NaN);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(25), lossReason);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(29), _epoch);
        Encoding.UTF8.GetBytes(campaign.Id, message.AsSpan(HeaderSize));
        try
        {
            _subscriber.Publish(_channel, message, CommandFlags.FireAndForget);
            Interlocked.Increment(ref _published);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Out of reach: learned here only (stated above).
        }
    }

    private void OnMessage(RedisValue value)
    {
        var message = ((ReadOnlyMemory<byte>)value).Span;
        if (message.Length <= HeaderSize || BinaryPrimitives.ReadInt32LittleEndian(message[29..]) == _epoch)
        {
            return;
        }

        // Only campaigns loaded here; a campaign another node has and this one has not is skipped.
        if (!_campaigns().TryGetCampaign(Encoding.UTF8.GetString(message[HeaderSize..]), out var campaign))
        {
            return;
        }

        var bid = BinaryPrimitives.ReadDoubleLittleEndian(message[1..]);
        var worth = BinaryPrimitives.ReadDoubleLittleEndian(message[9..]);
        var mtw = BinaryPrimitives.ReadDoubleLittleEndian(message[17..]);
        double? minToWin = double.IsNaN(mtw) ? null : mtw;
        if (message[0] == 1)
        {
            _local.ObserveWin(campaign, bid, worth, minToWin);
        }
        else
        {
            _local.ObserveLoss(campaign, bid, worth, BinaryPrimitives.ReadInt32LittleEndian(message[25..]), minToWin);
        }

        Interlocked.Increment(ref _received);
    }
}
