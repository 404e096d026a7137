using BidEngine.Core.Campaigns;

namespace BidEngine.Training.Pacing;

/// <summary>
/// A campaign of the simulated day: its daily budget (USD), pacing, the share of requests it is
/// eligible for, its bid (CPM, drawn evenly in [min, max]) and the chance that a bid wins.
/// </summary>
public sealed record SimulatedCampaign(string Id, decimal DailyBudget, PacingMode Pacing, double EligibleShare, double MinBidCpm, double MaxBidCpm, double WinRate)
{
    /// <summary>
    /// Four campaigns at 100 requests/s (about 6,500 USD a day of demand per unit of share): one
    /// even and ten times over-demanded, one even that cannot spend its budget, one asap and over-
    /// demanded, one even and a third over-demanded.
    /// </summary>
    public static IReadOnlyList<SimulatedCampaign> Defaults(double requestsPerSecond)
    {
        var scale = requestsPerSecond / 100;
        return
        [
            new("even-over", Round(300 * scale), PacingMode.Even, 0.5, 2, 6, 0.25),
            new("even-under", Round(1000 * scale), PacingMode.Even, 0.05, 2, 6, 0.25),
            new("asap-over", Round(200 * scale), PacingMode.Asap, 0.3, 2, 6, 0.25),
            new("even-tight", Round(500 * scale), PacingMode.Even, 0.1, 2, 6, 0.25),
        ];

        static decimal Round(double amount) => Math.Round((decimal)amount, 2);
    }
}
