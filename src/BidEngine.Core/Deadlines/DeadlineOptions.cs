namespace BidEngine.Core.Deadlines;

/// <summary>How each request's deadline is set. Bound from <c>BidEngine:Deadline</c>; see the README's table.</summary>
public sealed class DeadlineOptions
{
    /// <summary>
    /// The auction window assumed when a request has no tmax. 100 ms is what most exchanges send.
    /// Also the window the shed before parsing assumes, when tmax is not known yet.
    /// </summary>
    public int DefaultTmaxMs { get; set; } = 100;

    /// <summary>
    /// The longest window the bidder plans with, however long tmax is. An answer that took 2 s is
    /// rarely worth it, and holding work that long lets queues build up.
    /// </summary>
    public int MaxTmaxMs { get; set; } = 500;

    /// <summary>
    /// Kept back from tmax for the answer's trip to the exchange and the exchange's own handling:
    /// tmax counts from the exchange's send, the bidder only sees arrival.
    /// </summary>
    public int NetworkReserveMs { get; set; } = 15;

    /// <summary>
    /// Time kept for pricing and writing the answer after scoring (microseconds): the model must
    /// end this long before the deadline, and the heuristic runs only while this much is left.
    /// </summary>
    public int WriteReserveMicros { get; set; } = 200;

    /// <summary>
    /// The model's observed cost is multiplied by this before it is compared with the time left,
    /// by the policy and by the scorer, batcher and watchdog that enforce its choice.
    /// </summary>
    public double ModelCostSafetyFactor { get; set; } = 2.0;

    /// <summary>
    /// Count the thread pool's measured queueing delay as time already spent: the deadline runs
    /// from when the request came in, not from when the endpoint first saw it.
    /// </summary>
    public bool CountQueueDelay { get; set; } = true;

    /// <summary>
    /// Stop waiting for a model call that went asynchronous this long before the deadline (ms).
    /// Timers fire late on a busy machine; this keeps the heuristic answer inside the window.
    /// </summary>
    public int AsyncModelSlackMs { get; set; } = 5;

    /// <summary>Most requests decided at once; more are shed before parsing. Bounds the work in flight however the pool behaves.</summary>
    public int MaxInFlight { get; set; } = 512;

    public IEnumerable<string> Validate()
    {
        if (AsyncModelSlackMs is < 0 or > 1000)
        {
            yield return "BidEngine:Deadline:AsyncModelSlackMs must be between 0 and 1000";
        }

        if (MaxInFlight is < 1 or > 100_000)
        {
            yield return "BidEngine:Deadline:MaxInFlight must be between 1 and 100000";
        }

        if (DefaultTmaxMs is < 1 or > 10_000)
        {
            yield return "BidEngine:Deadline:DefaultTmaxMs must be between 1 and 10000";
        }

        if (MaxTmaxMs < 1 || MaxTmaxMs > 10_000)
        {
            yield return "BidEngine:Deadline:MaxTmaxMs must be between 1 and 10000";
        }

        if (NetworkReserveMs < 0 || NetworkReserveMs >= Math.Min(DefaultTmaxMs, MaxTmaxMs))
        {
            yield return "BidEngine:Deadline:NetworkReserveMs must be 0 or more and below DefaultTmaxMs and MaxTmaxMs";
        }

        // The shed before parsing keeps a request only while the write reserve fits the default
        // budget; a reserve as long as that budget would shed every request without tmax.
        var defaultBudgetMicros = (Math.Min(DefaultTmaxMs, MaxTmaxMs) - NetworkReserveMs) * 1000L;
        if (WriteReserveMicros < 0 || WriteReserveMicros >= defaultBudgetMicros)
        {
            yield return "BidEngine:Deadline:WriteReserveMicros must be 0 or more and below the default budget (min(DefaultTmaxMs, MaxTmaxMs) - NetworkReserveMs, in microseconds)";
        }

        if (!(ModelCostSafetyFactor is >= 1 and <= 1000))
        {
            yield return "BidEngine:Deadline:ModelCostSafetyFactor must be between 1 and 1000";
        }
    }
}
