using System.Net;
using BidEngine.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace BidEngine.Server.Tests;

/// <summary>
/// A full ledger refuses every bid rather than bid untracked; that must not look like a bidder that
/// merely stopped bidding: the records and the limit are gauges, and the budget service says so.
/// </summary>
public sealed class LedgerCapacityTests
{
    [Fact]
    public async Task AtTheLimitBidsStopAndTheGaugesAndTheWatchSaySo()
    {
        // The warm-up's bids hold records too (about 4,400 in a test host; released, then remembered
        // for late notices), so the limit sits above that.
        const int capacity = 6000;
        await using var host = BidderHost.With($"--BidEngine:Budgets:MaxReservations={capacity}");
        await host.InitializeAsync();
        var budgets = host.Services.GetRequiredService<BudgetService>();

        var startRecords = budgets.LedgerRecords;
        var bids = 0;
        var refusedAfterBids = false;
        for (var i = 0; i < capacity + 100 && !refusedAfterBids; i++)
        {
            using var answer = await host.Client.SendAsync(BidRequests.Post(BidRequests.Banner));
            if (answer.StatusCode == HttpStatusCode.OK)
            {
                bids++;
            }
            else
            {
                Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
                refusedAfterBids = bids > 0;
            }
        }

        Assert.True(refusedAfterBids, $"{bids} bids and no refusal within {capacity + 100} requests; {budgets.LedgerRecords} records held at the end, {startRecords} after warm-up");
        Assert.Equal(capacity, budgets.LedgerRecords);
        Assert.Equal(BudgetService.CapacityState.Full, budgets.WatchCapacity());

        var metrics = await host.Management.GetStringAsync("/metrics");
        Assert.Equal(capacity, PrometheusText.Value(metrics, "bidengine_ledger_capacity"));
        Assert.Equal(capacity, PrometheusText.Value(metrics, "bidengine_ledger_records"));
        Assert.InRange(PrometheusText.Value(metrics, "bidengine_reservations_total{outcome=\"ledger_full\"}"), 1, double.MaxValue);
    }
}
