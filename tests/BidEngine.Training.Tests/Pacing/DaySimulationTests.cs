using BidEngine.Training.Pacing;

namespace BidEngine.Training.Tests.Pacing;

/// <summary>
/// A simulated day at 10 requests/s through the real Pacer and ledger (about a million requests,
/// under a second of simulated-time work). Budgets are scaled to the traffic, so the campaigns are
/// over- or under-demanded as at 100 requests/s.
/// </summary>
public sealed class DaySimulationTests
{
    private static readonly IReadOnlyList<CampaignDay> Days =
        new DaySimulation(SimulatedCampaign.Defaults(10), new DaySimulationOptions { RequestsPerSecond = 10, Seed = 3 }).Run();

    private static CampaignDay Day(string id) => Days.Single(d => d.Campaign.Id == id);

    [Fact]
    public void NoCampaignOverspendsByMoreThanItsLateSpend()
    {
        // IBudgetLedger's bound: spent ≤ daily budget + spend billed after its reservation expired.
        Assert.All(Days, d => Assert.True(d.OverspendNanos <= d.LateSpentNanos, $"{d.Campaign.Id}: overspend {d.OverspendNanos} > late {d.LateSpentNanos}"));
        Assert.Contains(Days, d => d.LateSpentNanos > 0);
    }

    [Fact]
    public void AnOverDemandedEvenCampaignSpendsItsBudgetWithinThreePercent()
    {
        var day = Day("even-over");

        Assert.InRange((double)day.SpentNanos / day.DailyNanos, 0.97, 1 + ((double)day.LateSpentNanos / day.DailyNanos));
    }

    [Fact]
    public void AnOverDemandedEvenCampaignSpreadsItsBudgetOverTheDay()
    {
        var day = Day("even-over");
        var target = day.DailyNanos / 24;

        // Unthrottled it would spend ten hours' worth in the first; after the controller's first minutes, no hour passes twice the even share.
        Assert.All(day.HourlySpentNanos.Skip(1), spent => Assert.InRange(spent, target / 3, target * 2));
    }

    [Fact]
    public void AnAsapCampaignSpendsOutInTheMorningAndStops()
    {
        var day = Day("asap-over");

        Assert.InRange((double)day.SpentNanos / day.DailyNanos, 0.97, 1 + ((double)day.LateSpentNanos / day.DailyNanos));
        Assert.True(day.HourlySpentNanos.Skip(12).Sum() < day.DailyNanos / 100);
        Assert.True(day.Refused > 0);
    }

    [Fact]
    public void ACampaignThatCannotSpendItsBudgetIsNeverThrottled()
    {
        var day = Day("even-under");

        Assert.True(day.OverspendNanos < -day.DailyNanos / 2, "it should stay far under its budget");
        Assert.Equal(0, day.Refused);

        // Eligible for 5% of 864,000 requests, it bids on all of them (never held back by its pacer).
        Assert.InRange(day.Bids, 0.95 * 0.05 * 864_000, 1.05 * 0.05 * 864_000);
    }
}
