namespace BidEngine.Core.Notices;

/// <summary>The answer to one notice: its outcome, the clearing price it reported, or why it was refused.</summary>
/// <param name="Outcome">What became of it.</param>
/// <param name="PriceCpm">The clearing price of an impression, CPM in the bid's currency; 0 for clicks.</param>
/// <param name="Error">For <see cref="NoticeOutcome.Bad"/>: <c>missing_field</c> or <c>bad_value</c>.</param>
/// <param name="Field">For <see cref="NoticeOutcome.Bad"/>: the query parameter at fault (<c>c</c>, <c>b</c> or <c>p</c>).</param>
/// <param name="Message">For <see cref="NoticeOutcome.Bad"/>: a sentence for the caller.</param>
/// <param name="Settle">For billing notices the ledger saw: what it made of them.</param>
public readonly record struct NoticeResult(NoticeOutcome Outcome, double PriceCpm = 0, string? Error = null, string? Field = null, string? Message = null, Budgets.SettleOutcome? Settle = null)
{
    public static NoticeResult Missing(string field) => new(NoticeOutcome.Bad, 0, "missing_field", field, $"query parameter {field} is required");

    public static NoticeResult Malformed(string field, string what) => new(NoticeOutcome.Bad, 0, "bad_value", field, $"query parameter {field} must be {what}");
}
