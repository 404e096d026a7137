namespace BidEngine.Training.ClosedLoop;

/// <summary>What one closed-loop run sends and where it writes.</summary>
/// <param name="Bidder">The bidder's base address: loopback only.</param>
/// <param name="Requests">Bid requests sent, at most.</param>
/// <param name="Concurrency">Requests in flight at once (each with its notices).</param>
/// <param name="Seed">The simulated world and traffic (the shipped model's world is seed 42).</param>
/// <param name="OutFolder">Where the simulator's log, the truth, the trained weights and the report go.</param>
/// <param name="TmaxMs">The <c>tmax</c> of every request.</param>
/// <param name="MarketValuePerClick">What the competing bidders pay for a click: their price centres on true CTR × this × 1000.</param>
/// <param name="MarketSpread">Standard deviation of the log of the competing price around that centre.</param>
internal sealed record LoopSettings(
    Uri Bidder,
    int Requests,
    int Concurrency,
    int Seed,
    string OutFolder,
    string CampaignsPath,
    int SyntheticCampaigns,
    int TmaxMs = 200,
    double MarketValuePerClick = 1.0,
    double MarketSpread = 0.5)
{
    public string SimLogPath => Path.Combine(OutFolder, "sim.msgpack");
}
