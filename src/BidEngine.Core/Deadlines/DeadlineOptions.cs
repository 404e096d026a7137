namespace BidEngine.Core.Deadlines;

/// <summary>How each request's deadline is set. Bound from <c>BidEngine:Deadline</c>; see the README's table.</summary>
public sealed class DeadlineOptions
{
    /// <summary>The auction window assumed when a request has no tmax. 100 ms is what most exchanges send.</summary>
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

    /// <summary>Time kept for writing the answer after deciding it (microseconds).</summary>
    public int WriteReserveMicros { get; set; } = 200;

    /// <summary>Extra margin the model's estimated cost must fit within, as a factor of the estimate.</summary>
    public double ModelCostSafetyFactor { get; set; } = 2.0;

    /// <summary>
    /// Shed new requests (cheap 204) while work waits longer than this in the thread pool. A
    /// request that waited that long has already spent a good part of a 100 ms window; taking
    /// more only lengthens the queue for the ones behind it. 0 turns delay-based shedding off.
    /// </summary>
    public int ShedQueueDelayMs { get; set; } = 10;

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

    /// <summary>Most requests decided at once; more are shed. Bounds the work in flight however the pool behaves.</summary>
    public int MaxInFlight { get; set; } = 512;

    /// <summary>
    /// Shed a growing share of requests while the CPUs the bidder may run on are busier than this
    /// share (0..1). Saturated CPUs are the only sign the bidder has of requests waiting outside it
    /// (run queue, socket buffers, the exchange's connection queue); 0.95 leaves the little
    /// headroom that keeps those waits short. 0 turns CPU-based shedding off. Linux only.
    /// </summary>
    public double ShedCpuBusy { get; set; } = 0.95;

    /// <summary>
    /// CPU-based shedding starts only while the bidder itself uses at least this share of its
    /// CPUs, so that a neighbour filling the machine does not make a lightly loaded bidder refuse work.
    /// </summary>
    public double ShedCpuOwnShare { get; set; } = 0.5;

    /// <summary>How often the CPUs' busy share is sampled (ms). The kernel counts in 10 ms ticks, so shorter is noise.</summary>
    public int CpuSampleMs { get; set; } = 100;

    public IEnumerable<string> Validate()
    {
        if (ShedQueueDelayMs is < 0 or > 10_000)
        {
            yield return "BidEngine:Deadline:ShedQueueDelayMs must be between 0 and 10000";
        }

        if (AsyncModelSlackMs is < 0 or > 1000)
        {
            yield return "BidEngine:Deadline:AsyncModelSlackMs must be between 0 and 1000";
        }

        if (MaxInFlight is < 1 or > 100_000)
        {
            yield return "BidEngine:Deadline:MaxInFlight must be between 1 and 100000";
        }

        if (ShedCpuBusy is < 0 or > 1 || (ShedCpuBusy > 0 && ShedCpuBusy < 0.5))
        {
            yield return "BidEngine:Deadline:ShedCpuBusy must be 0 (off) or between 0.5 and 1";
        }

        if (ShedCpuOwnShare is < 0 or > 1)
        {
            yield return "BidEngine:Deadline:ShedCpuOwnShare must be between 0 and 1";
        }

        if (CpuSampleMs is < 20 or > 5000)
        {
            yield return "BidEngine:Deadline:CpuSampleMs must be between 20 and 5000";
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

        if (WriteReserveMicros < 0)
        {
            yield return "BidEngine:Deadline:WriteReserveMicros must be 0 or more";
        }

        if (ModelCostSafetyFactor < 1)
        {
            yield return "BidEngine:Deadline:ModelCostSafetyFactor must be 1 or more";
        }
    }
}
