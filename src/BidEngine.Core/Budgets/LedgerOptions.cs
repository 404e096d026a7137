namespace BidEngine.Core.Budgets;

/// <summary>How long the ledger holds reservations and how many it may hold.</summary>
public sealed class LedgerOptions
{
    /// <summary>
    /// A reservation without a billing or loss notice is released by <see cref="IBudgetLedger.Expire"/>
    /// this long after the bid. Longer: fewer late notices (overspend) but more budget held by bids
    /// whose loss is never reported. Default 5 minutes.
    /// </summary>
    public TimeSpan ReservationTtl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long after expiring a reservation is still remembered, so that a late billing notice is
    /// counted (and a replay refused). After that a notice for it is refused as unknown. Default 5 minutes.
    /// </summary>
    public TimeSpan LateNoticeWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Records (outstanding and remembered) the ledger holds over all campaigns; past it, Reserve
    /// refuses (no bid) rather than bid untracked. About 52 B each in steady state (a 36 B dictionary
    /// entry and a 16 B queue entry), so the default 2,097,152 is about 110 MB; arrays grown by doubling
    /// may hold up to twice that. Records live <see cref="ReservationTtl"/> + <see cref="LateNoticeWindow"/>,
    /// so the default carries 3,500 bids/s at the default times.
    /// </summary>
    public int MaxReservations { get; init; } = 2_097_152;
}
