namespace BidEngine.Model;

/// <summary>Scorer counters since start.</summary>
/// <param name="Runs">Model runs completed.</param>
/// <param name="RowsScored">Rows in completed runs, padding excluded.</param>
/// <param name="NotStarted">Calls refused because the observed cost (× the safety factor) did not fit their limit, at the call or when joining a batch.</param>
/// <param name="CutOff">Runs terminated by the watchdog at their limit's end.</param>
/// <param name="BatchedRuns">Group-commit runs that carried more than one request.</param>
/// <param name="BatchedRequests">Requests scored inside such runs.</param>
public readonly record struct ScorerCounters(long Runs, long RowsScored, long NotStarted, long CutOff, long BatchedRuns, long BatchedRequests);
