namespace BidEngine.Core.Notices;

/// <summary>The answer to one notice: its outcome, the clearing price it reported, or why it was refused.</summary>
/// <param name="Outcome">What became of it.</param>
/// <param name="PriceCpm">For wins and billed impressions: the clearing price, CPM in the bid's currency; else 0.</param>
/// <param name="Error">For <see cref="NoticeOutcome.Bad"/>: <c>missing_field</c>, <c>bad_value</c> or <c>unsubstituted_macro</c>.</param>
/// <param name="Field">For <see cref="NoticeOutcome.Bad"/>: the query parameter at fault (<see cref="NoticeUrls"/> names them).</param>
/// <param name="Message">For <see cref="NoticeOutcome.Bad"/>: a sentence for the caller.</param>
/// <param name="Settle">For billing notices the ledger saw: what it made of them.</param>
/// <param name="PredictedCtr">For billed impressions and clicks taken: the CTR the bid was priced with, read back from its token; null when it cannot be (no value per click).</param>
/// <param name="ModelScored">With <paramref name="PredictedCtr"/>: whether that CTR came from the model or the heuristic.</param>
public readonly record struct NoticeResult(
    NoticeOutcome Outcome,
    double PriceCpm = 0,
    string? Error = null,
    string? Field = null,
    string? Message = null,
    Budgets.SettleOutcome? Settle = null,
    double? PredictedCtr = null,
    bool ModelScored = false)
{
    /// <summary>Whether the notice was refused: nothing changed because of it.</summary>
    public bool IsRefused => Outcome >= NoticeOutcome.BadToken;

    public static NoticeResult Missing(string field) => new(NoticeOutcome.Bad, 0, "missing_field", field, $"query parameter {field} is required");

    public static NoticeResult Malformed(string field, string what) => new(NoticeOutcome.Bad, 0, "bad_value", field, $"query parameter {field} must be {what}");

    /// <summary>The exchange sent the macro itself instead of its value.</summary>
    public static NoticeResult Unsubstituted(string field, string macro) =>
        new(NoticeOutcome.Bad, 0, "unsubstituted_macro", field, $"query parameter {field} still holds the macro {macro}: the exchange did not substitute it");

    public static NoticeResult Refused(NoticeOutcome reason) => new(reason);
}
