namespace BidEngine.State.Redis.Budgets;

/// <summary>
/// What the store said of a campaign at the last reply: this node's slices (absolute, with the
/// entry's version, so an older reply never undoes a newer one) and the fleet's spend and leases.
/// </summary>
internal readonly record struct LeaseView(long Slice, long DaySlice, long Version, long Spent, long Leased, long DaySpent, long DayLeased, int Nodes);
