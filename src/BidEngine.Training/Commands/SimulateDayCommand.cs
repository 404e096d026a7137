using System.CommandLine;
using System.Globalization;
using BidEngine.Core.Budgets;
using BidEngine.Training.Pacing;

namespace BidEngine.Training.Commands;

/// <summary><c>simulate-day</c>: a day of pacing and budgets in simulated time; prints spend per hour against the even-pacing target.</summary>
internal static class SimulateDayCommand
{
    public static Command Create(TextWriter o)
    {
        var rate = CliOptions.Double("--rate", 100, 1, 10_000, "average bid requests per second");
        var steady = CliOptions.Bool("--steady", false, "the same traffic all day instead of a diurnal curve (low at 03:00 UTC, high at 15:00)");
        var seed = CliOptions.Int("--seed", 1, 0, int.MaxValue, "seed of traffic, wins and notice delays");
        var ttl = CliOptions.Int("--ttl-seconds", 300, 1, 86_400, "the ledger's reservation time to live");
        var command = new Command("simulate-day", "Runs a day of four campaigns with daily budgets through the real Pacer and InProcessBudgetLedger on a manual clock, with billing notices after random delays (some never), and prints spend per hour against the even-pacing target and the overspend.")
            .With(rate, steady, seed, ttl);
        command.SetAction(r =>
        {
            var options = new DaySimulationOptions
            {
                RequestsPerSecond = r.GetValue(rate),
                Steady = r.GetValue(steady),
                Seed = r.GetValue(seed),
                ReservationTtl = TimeSpan.FromSeconds(r.GetValue(ttl)),
            };
            var days = new DaySimulation(SimulatedCampaign.Defaults(options.RequestsPerSecond), options).Run();
            Print(days, options, o);
            return 0;
        });
        return command;
    }

    public static void Print(IReadOnlyList<CampaignDay> days, DaySimulationOptions options, TextWriter o)
    {
        var c = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(c, $"simulate-day: {options.RequestsPerSecond:N0} requests/s on average ({(options.Steady ? "steady" : "diurnal")}), seed {options.Seed}, reservation TTL {options.ReservationTtl.TotalSeconds:N0} s"));
        o.WriteLine("spend per hour of the bid (UTC), USD: spent / even-pacing target (daily budget / 24)");
        o.WriteLine("hour | " + string.Join(" | ", days.Select(d => $"{d.Campaign.Id} ({d.Campaign.Pacing.ToString().ToLowerInvariant()}, {d.Campaign.DailyBudget:N0}/day)".PadLeft(27))));
        for (var h = 0; h < 24; h++)
        {
            o.WriteLine(string.Create(c, $"  {h:D2} | ") + string.Join(" | ", days.Select(d => string.Create(c, $"{Units(d.HourlySpentNanos[h]),12:F2} / {Units(d.DailyNanos) / 24,-10:F2}").PadLeft(27))));
        }

        o.WriteLine();
        o.WriteLine("campaign      | budget   | spent    | overspend | late spend | bound (overspend <= late) | bids      | wins     | refused by ledger");
        foreach (var d in days)
        {
            o.WriteLine(string.Create(c, $"{d.Campaign.Id,-13} | {Units(d.DailyNanos),8:F2} | {Units(d.SpentNanos),8:F2} | {Units(d.OverspendNanos),9:F4} | {Units(d.LateSpentNanos),10:F4} | {(d.OverspendNanos <= d.LateSpentNanos ? "holds" : "BROKEN"),-25} | {d.Bids,9:N0} | {d.Wins,8:N0} | {d.Refused:N0}"));
        }
    }

    private static double Units(long nanos) => (double)Money.ToUnits(nanos);
}
