namespace BidEngine.State.Redis.Budgets;

/// <summary>A reservation's id and wall-clock time (UTC ticks), in the order made: the expiry queues' entries. 16 B.</summary>
internal readonly record struct LeaseStamp(long Id, long UtcTicks);
