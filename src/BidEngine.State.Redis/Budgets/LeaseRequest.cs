namespace BidEngine.State.Redis.Budgets;

/// <summary>What the loop asks the store for one campaign: slice deltas (negative: give back) for a day.</summary>
internal readonly record struct LeaseRequest(long WantTotal, long WantDay, int Day, long? TotalLimit, long? DailyLimit);
