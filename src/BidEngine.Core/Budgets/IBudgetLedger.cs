namespace BidEngine.Core.Budgets;

/// <summary>
/// The money of every campaign, one method per thing that happens to it. Amounts are nanos of the
/// campaign's currency (<see cref="Money"/>); reservations are named by campaign id + an id the
/// caller makes unique per campaign (the bid's), so that a store shared by a fleet (a hash per
/// campaign, integer increments, a sorted set by time for expiry) can implement the same calls.
/// Implementations are safe to call from many threads.
///
/// Overspend bound (each implementation must keep it; <see cref="InProcessBudgetLedger"/> does, and
/// BudgetLedgerTests checks it): for a budget B (total, or today's daily budget),
/// <list type="number">
/// <item><see cref="Reserve"/> admits a price a only if spent + reserved + a ≤ B, so bids outstanding
/// never commit more than is left;</item>
/// <item><see cref="Settle"/> turns a reserved a into spend c ≤ a (a larger c is refused), and
/// <see cref="Release"/> and <see cref="Expire"/> only free, so spent + reserved ≤ B holds after
/// every change except the next one;</item>
/// <item>a billing notice for a reservation that already expired is still counted as spend (the
/// exchange did bill it) and as late spend: spent ≤ B + L, where L, the late spend, is at most the
/// sum of the prices of the reservations that expired and were then billed, each at most once. An
/// expiry frees at most what was outstanding at that sweep (≤ B), and while spent > B every Reserve
/// is refused, so overspend does not compound.</item>
/// </list>
/// </summary>
public interface IBudgetLedger
{
    /// <summary>Sets or changes a campaign's limits (on load and reload); its spend and reservations stay.</summary>
    void SetLimits(string campaignId, BudgetLimits limits);

    /// <summary>The same for a whole campaign set at once (load and reload); must cost about linear time in the set's size.</summary>
    void SetLimits(IEnumerable<KeyValuePair<string, BudgetLimits>> limits);

    /// <summary>A bid at <paramref name="amountNanos"/> holds that much of the campaign's total and daily budget.</summary>
    ReserveOutcome Reserve(string campaignId, long reservationId, long amountNanos);

    /// <summary>A billing notice: the clearing price becomes spend, the rest of the reservation is freed.</summary>
    SettleOutcome Settle(string campaignId, long reservationId, long clearingNanos);

    /// <summary>A loss notice: the reservation is freed.</summary>
    ReleaseOutcome Release(string campaignId, long reservationId);

    /// <summary>
    /// The sweep: frees reservations older than the time to live (no notice came) and forgets ended
    /// ones past the late-notice window. Returns how many it freed. Call it every few seconds.
    /// </summary>
    int Expire();

    /// <summary>The campaign's account now; false when the campaign has no limits set.</summary>
    bool TryRead(string campaignId, out BudgetBalance balance);

    /// <summary>
    /// Whether the campaign has budget left (total and today's, reservations counted) as far as a
    /// recent look tells, without waiting for its account: the candidate filter asks this for every
    /// campaign it considers, and <see cref="Reserve"/> decides. False when the campaign has no limits set.
    /// </summary>
    bool HasBudgetLeft(string campaignId);
}
