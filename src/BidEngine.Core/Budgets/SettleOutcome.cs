namespace BidEngine.Core.Budgets;

/// <summary>The answer to <see cref="IBudgetLedger.Settle"/>: whether a billing notice became spend, and if not, why.</summary>
public enum SettleOutcome
{
    /// <summary>The clearing price became spend; the rest of the reservation was freed.</summary>
    Settled,

    /// <summary>
    /// The reservation had expired (its amount was already freed) but is still remembered: the
    /// clearing price is counted as spend anyway, since the exchange did bill it, and as late spend.
    /// This is the only way spend can pass a budget.
    /// </summary>
    SettledAfterExpiry,

    /// <summary>
    /// No reservation is held here for this bid, yet its verified token proves the bid was made: the
    /// reservation was lost with the last unflushed moment before a crash, or another node of a fleet
    /// holds it. The exchange billed it, so it is spend, and late spend (nothing held it here).
    /// </summary>
    SettledWithoutReservation,

    /// <summary>Refused: no such reservation, or it ended so long ago that it is forgotten.</summary>
    UnknownReservation,

    /// <summary>Refused: this reservation was settled before (a replayed notice counts once).</summary>
    AlreadySettled,

    /// <summary>Refused: the bid was reported lost and released; an exchange does not bill a lost auction.</summary>
    AlreadyReleased,

    /// <summary>Refused: the clearing price is above the bid it settles; no auction clears above the bid. The reservation stays.</summary>
    PriceAboveReservation,

    /// <summary>Refused: the campaign is not in the ledger.</summary>
    UnknownCampaign,

    /// <summary>Refused: a negative clearing price.</summary>
    InvalidAmount,

    /// <summary>
    /// Not decided: the shared store could not be reached in time. Nothing changed; the notice must be
    /// answered so that the exchange retries it (503), never taken and lost.
    /// </summary>
    Unavailable,
}
