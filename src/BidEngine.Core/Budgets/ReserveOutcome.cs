namespace BidEngine.Core.Budgets;

/// <summary>The answer to <see cref="IBudgetLedger.Reserve"/>. Anything but <see cref="Reserved"/> means: do not bid.</summary>
public enum ReserveOutcome
{
    Reserved,

    /// <summary>Spend plus outstanding reservations plus this price would pass the total budget.</summary>
    TotalExhausted,

    /// <summary>As above, for today's budget in the campaign's time zone.</summary>
    DailyExhausted,

    /// <summary>The ledger has no limits for this campaign (not configured): refused, so that nothing spends unaccounted.</summary>
    UnknownCampaign,

    /// <summary>The reservation id is already in use for this campaign.</summary>
    DuplicateReservation,

    /// <summary>The ledger holds <see cref="LedgerOptions.MaxReservations"/> records: refused rather than untracked.</summary>
    LedgerFull,

    /// <summary>A price of zero or less.</summary>
    InvalidAmount,
}
