using BidEngine.Core.Budgets;

namespace BidEngine.State.Redis.Budgets;

/// <summary>What a settle at the owning node found in its record, before it goes to the store.</summary>
internal enum SettleStep
{
    /// <summary>Outstanding or expired: now <see cref="ReservationState.Settling"/>, off to the store.</summary>
    Go,
    NotHeld,
    AlreadySettled,
    AlreadyReleased,
    PriceAboveReservation,

    /// <summary>Another settle of the same bid is at the store right now.</summary>
    InFlight,
}
