namespace BidEngine.State.Redis;

/// <summary>
/// How a node reaches the fleet's store and how much money it may hold away from it. Each setting is
/// described once in this project's README table; <see cref="Validate"/> names the one that is wrong.
/// </summary>
public sealed class RedisStateOptions
{
    /// <summary>StackExchange.Redis configuration string, for example <c>127.0.0.1:6379</c>.</summary>
    public string Configuration { get; init; } = "127.0.0.1:6379";

    /// <summary>Prefix of every key and channel, so that fleets (or tests) can share a store.</summary>
    public string KeyPrefix { get; init; } = "be:";

    /// <summary>
    /// The longest a notice waits on the store before it is answered <c>Unavailable</c> (the exchange
    /// retries). Also the connect timeout. Default 300 ms.
    /// </summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// A node's lease of a campaign's money lapses this long after its last renewal (store clock); a
    /// killed node's slice returns to the others after it. The node itself stops spending from a slice
    /// <see cref="LeaseSafetyMargin"/> before that, by its own monotonic clock. Default 10 s.
    /// </summary>
    public TimeSpan NodeLeaseTtl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Part of the lease's life a node keeps back against delays (request in flight, a slow loop). Default 0.3.</summary>
    public double LeaseSafetyMargin { get; init; } = 0.3;

    /// <summary>A slice aims to cover this much time of the node's reservations, so a refill is needed about this often. Default 1.5 s.</summary>
    public TimeSpan RefillHorizon { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>How often the background loop refills, renews, drains the inbox and reads the fleet's spend. Default 100 ms.</summary>
    public TimeSpan LoopInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A campaign with no reservation for this long gives its unused slice back. Default 5 s.</summary>
    public TimeSpan IdleReturnAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A reservation without a notice is freed this long after the bid; a stopped node's outstanding
    /// reservations stay leased this long so that their late bills are covered. Default 5 minutes.
    /// </summary>
    public TimeSpan ReservationTtl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an ended reservation (and the store's settle marker) is remembered, so a late or repeated bill counts once. Default 5 minutes.</summary>
    public TimeSpan LateNoticeWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Daily budget hashes are kept this many days after their day, for reports.</summary>
    public int DayKeyDays { get; init; } = 3;

    /// <summary>Refused starts: a bad value names its setting.</summary>
    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(Configuration), nameof(Configuration), "must name the store");
        Require(!string.IsNullOrEmpty(KeyPrefix), nameof(KeyPrefix), "must not be empty");
        Require(OperationTimeout > TimeSpan.Zero && OperationTimeout <= TimeSpan.FromSeconds(5), nameof(OperationTimeout), "must be in (0, 5 s]: a notice waits at most this long");
        Require(NodeLeaseTtl >= TimeSpan.FromSeconds(1), nameof(NodeLeaseTtl), "must be at least 1 s");
        Require(LeaseSafetyMargin is > 0 and < 0.9, nameof(LeaseSafetyMargin), "must be in (0, 0.9)");
        Require(LoopInterval > TimeSpan.Zero && LoopInterval * 4 <= NodeLeaseTtl * (1 - LeaseSafetyMargin), nameof(LoopInterval), "must be positive and renew at least 4 times per usable lease life");
        Require(RefillHorizon >= LoopInterval, nameof(RefillHorizon), "must be at least one loop interval");
        Require(IdleReturnAfter > TimeSpan.Zero, nameof(IdleReturnAfter), "must be positive");
        Require(ReservationTtl > TimeSpan.Zero, nameof(ReservationTtl), "must be positive");
        Require(LateNoticeWindow >= TimeSpan.Zero, nameof(LateNoticeWindow), "must not be negative");
        Require(DayKeyDays >= 1, nameof(DayKeyDays), "must be at least 1");
    }

    private static void Require(bool ok, string setting, string rule)
    {
        if (!ok)
        {
            throw new ArgumentException($"RedisState:{setting} {rule}.", setting);
        }
    }
}
