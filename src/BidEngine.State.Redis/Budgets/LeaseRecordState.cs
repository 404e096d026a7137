namespace BidEngine.State.Redis.Budgets;

/// <summary>Where one reservation is at the node that made it; <see cref="Settling"/> while its bill is at the store.</summary>
internal enum LeaseRecordState : byte
{
    Outstanding,
    Settling,
    Settled,
    Released,
    Expired,
}
