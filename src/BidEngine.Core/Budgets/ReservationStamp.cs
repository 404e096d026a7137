namespace BidEngine.Core.Budgets;

/// <summary>A reservation's id and the wall-clock time it was made (UTC ticks: a durable or shared record outlives any one host's monotonic clock): the expiry queues' entries. 16 B.</summary>
internal readonly record struct ReservationStamp(long Id, long UtcTicks);
