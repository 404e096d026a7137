namespace BidEngine.Core.Budgets;

/// <summary>Where one reservation is in its life: outstanding, then exactly one of the endings.</summary>
internal enum ReservationState : byte
{
    Outstanding,
    Settled,
    Released,
    Expired,
}
