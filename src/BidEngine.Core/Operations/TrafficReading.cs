namespace BidEngine.Core.Operations;

/// <summary>
/// The bidder's request counters at one moment, each a running total since it turned ready: the
/// status sampler reads them once a second and keeps the difference (<see cref="StatusSample.Between"/>).
/// </summary>
/// <param name="Timestamp">When they were read (<see cref="System.Diagnostics.Stopwatch"/> ticks).</param>
/// <param name="Finished">Bid requests finished: answered, refused or shed.</param>
/// <param name="Bids">Answers that carried a bid.</param>
/// <param name="Model">Answers priced with the model's CTR.</param>
/// <param name="Heuristic">Answers priced with the prior CTRs (no time left for the model).</param>
/// <param name="None">Answers with no time to price at all, the shed ones included.</param>
/// <param name="Shed">Requests admission control refused before parsing (also counted in <paramref name="None"/>).</param>
/// <param name="NoCandidates">Requests no campaign could bid on.</param>
/// <param name="Late">Answers finished after their own deadline.</param>
/// <param name="Billed">Billing notices that became spend.</param>
/// <param name="Skipped">Index entries the eligibility gate did not make candidates, for any reason.</param>
/// <param name="Capped">Of those, the ones skipped for the frequency cap.</param>
public readonly record struct TrafficReading(
    long Timestamp,
    long Finished,
    long Bids,
    long Model,
    long Heuristic,
    long None,
    long Shed,
    long NoCandidates,
    long Late,
    long Billed,
    long Skipped,
    long Capped);
