namespace BidEngine.Core.Budgets;

/// <summary>The answer to <see cref="IBudgetLedger.Release"/>.</summary>
public enum ReleaseOutcome
{
    /// <summary>The reservation was outstanding; its amount is free again.</summary>
    Released,

    /// <summary>No such reservation (or forgotten); nothing changed.</summary>
    UnknownReservation,

    /// <summary>Already settled, released or expired; nothing changed.</summary>
    AlreadyEnded,

    UnknownCampaign,
}
