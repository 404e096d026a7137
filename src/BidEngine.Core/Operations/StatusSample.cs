namespace BidEngine.Core.Operations;

/// <summary>
/// One second of traffic as the status page charts it: rates per second, answer times, and the share
/// of answers each way of deciding took. A rate or share is NaN when the second had nothing to divide
/// by (the page draws a gap, never a made-up zero).
/// </summary>
/// <param name="UnixSeconds">The second's end, wall clock.</param>
/// <param name="RequestsPerSecond">Bid requests finished.</param>
/// <param name="BidsPerSecond">Answers that carried a bid.</param>
/// <param name="P50Ms">Median answer time.</param>
/// <param name="P99Ms">99th percentile answer time.</param>
/// <param name="P999Ms">99.9th percentile answer time.</param>
/// <param name="ModelShare">Of the answers, those priced by the model.</param>
/// <param name="HeuristicShare">Those priced by the prior CTRs.</param>
/// <param name="NoTimeShare">Those answered no-bid because no pricing fitted the deadline (not shed).</param>
/// <param name="ShedShare">Those shed by admission control before parsing.</param>
/// <param name="NoCandidatesShare">Those no campaign could bid on.</param>
/// <param name="LatePerSecond">Answers finished after their deadline.</param>
/// <param name="LateShare">Of the requests finished, the late ones.</param>
/// <param name="BilledPerSecond">Billing notices that became spend.</param>
/// <param name="SkippedPerSecond">Index entries the eligibility gate skipped (flight, daypart, cap, budget, pacing).</param>
/// <param name="CappedPerSecond">Of those, the ones skipped for the frequency cap (all campaigns together).</param>
public readonly record struct StatusSample(
    long UnixSeconds,
    double RequestsPerSecond,
    double BidsPerSecond,
    double P50Ms,
    double P99Ms,
    double P999Ms,
    double ModelShare,
    double HeuristicShare,
    double NoTimeShare,
    double ShedShare,
    double NoCandidatesShare,
    double LatePerSecond,
    double LateShare,
    double BilledPerSecond,
    double SkippedPerSecond,
    double CappedPerSecond)
{
    /// <summary>
    /// The sample of the interval between two readings. Counters only grow; a reading taken before a
    /// counter started (warm-up) gives zeros, never negative rates.
    /// </summary>
    public static StatusSample Between(in TrafficReading before, in TrafficReading after, long timestampFrequency, long unixSeconds, in LatencyQuantiles latency)
    {
        var seconds = (after.Timestamp - before.Timestamp) / (double)timestampFrequency;
        if (seconds <= 0)
        {
            seconds = double.NaN;
        }

        var finished = Delta(before.Finished, after.Finished);
        var model = Delta(before.Model, after.Model);
        var heuristic = Delta(before.Heuristic, after.Heuristic);
        var none = Delta(before.None, after.None);
        var shed = Math.Min(none, Delta(before.Shed, after.Shed));
        var noCandidates = Delta(before.NoCandidates, after.NoCandidates);
        var late = Delta(before.Late, after.Late);
        var answers = model + heuristic + none + noCandidates;
        return new StatusSample(
            unixSeconds,
            finished / seconds,
            Delta(before.Bids, after.Bids) / seconds,
            latency.P50Ms,
            latency.P99Ms,
            latency.P999Ms,
            Share(model, answers),
            Share(heuristic, answers),
            Share(none - shed, answers),
            Share(shed, answers),
            Share(noCandidates, answers),
            late / seconds,
            Share(late, finished),
            Delta(before.Billed, after.Billed) / seconds,
            Delta(before.Skipped, after.Skipped) / seconds,
            Delta(before.Capped, after.Capped) / seconds);
    }

    private static long Delta(long before, long after) => Math.Max(0, after - before);

    private static double Share(long part, long whole) => whole == 0 ? double.NaN : (double)part / whole;
}
