namespace BidEngine.Core.Budgets;

/// <summary>A reservation's id and the monotonic time it was made: the expiry queues' entries. 16 B.</summary>
internal readonly record struct ReservationStamp(long Id, long Timestamp);
