namespace BidEngine.Core.Budgets;

/// <summary>What a <see cref="SettleOutcome"/> means for money: the ledger, the billing book and the notices ask the same two questions.</summary>
public static class SettleOutcomes
{
    /// <summary>Whether the clearing price became spend (in time, late, or without a reservation held here).</summary>
    public static bool IsSpend(SettleOutcome outcome) => outcome is SettleOutcome.Settled or SettleOutcome.SettledAfterExpiry or SettleOutcome.SettledWithoutReservation;

    /// <summary>Whether it became spend that no reservation held at the time: the late spend the overspend bound is made of.</summary>
    public static bool IsLate(SettleOutcome outcome) => outcome is SettleOutcome.SettledAfterExpiry or SettleOutcome.SettledWithoutReservation;
}
