namespace BidEngine.Core.Budgets;

/// <summary>Where one reservation is in its life: outstanding, then exactly one of the endings.</summary>
internal enum ReservationState : byte
{
    Outstanding,
    Settled,
    Released,
    Expired,

    /// <summary>Its bill is at a fleet's shared store (the leased ledger only): not yet an ending, not to be forgotten.</summary>
    Settling,
}
