using BidEngine.Core.Budgets;
using BidEngine.Core.Time;

namespace BidEngine.Core.Tests.Budgets;

public sealed class BudgetLedgerTests
{
    private const string Campaign = "cmp-1";
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static long Units(decimal units) => Money.FromUnits(units);

    private static (InProcessBudgetLedger Ledger, ManualClock Clock) Ledger(decimal? total, decimal? daily, string zone = "UTC", LedgerOptions? options = null, DateTimeOffset? start = null)
    {
        var clock = new ManualClock(start ?? Start);
        var ledger = new InProcessBudgetLedger(clock, options);
        ledger.SetLimits(Campaign, new BudgetLimits(total is { } t ? Units(t) : null, daily is { } d ? Units(d) : null, TimeZoneInfo.FindSystemTimeZoneById(zone)));
        return (ledger, clock);
    }

    private static BudgetBalance Read(IBudgetLedger ledger)
    {
        Assert.True(ledger.TryRead(Campaign, out var balance));
        return balance;
    }

    [Fact]
    public void MoneyIsWholeNanosPerImpressionForCpmsWithSixDecimals()
    {
        Assert.Equal(4_464_200, Money.PerImpressionFromCpm(4.4642));
        Assert.Equal(1, Money.PerImpressionFromCpm(0.000001m));
        Assert.Equal(250 * Money.NanosPerUnit, Money.FromUnits(250m));
        Assert.Equal(0.0044642m, Money.ToUnits(Money.PerImpressionFromCpm(4.4642m)));
    }

    [Fact]
    public void RefusesAReservationThatWouldPassTheTotalCountingOutstandingOnes()
    {
        var (ledger, _) = Ledger(total: 1.0m, daily: null);
        Assert.Equal(ReserveOutcome.Reserved, ledger.Reserve(Campaign, 1, Units(0.4m)));
        Assert.Equal(ReserveOutcome.Reserved, ledger.Reserve(Campaign, 2, Units(0.4m)));
        Assert.Equal(ReserveOutcome.TotalExhausted, ledger.Reserve(Campaign, 3, Units(0.4m)));
        Assert.Equal(ReserveOutcome.Reserved, ledger.Reserve(Campaign, 4, Units(0.2m)));
        var balance = Read(ledger);
        Assert.Equal(Units(1.0m), balance.ReservedNanos);
        Assert.Equal(0, balance.RemainingNanos);
        Assert.Equal(3, balance.Outstanding);
    }

    [Fact]
    public void RefusesAReservationThatWouldPassTodaysBudget()
    {
        var (ledger, _) = Ledger(total: 100m, daily: 1.0m);
        Assert.Equal(ReserveOutcome.Reserved, ledger.Reserve(Campaign, 1, Units(0.6m)));
        Assert.Equal(ReserveOutcome.DailyExhausted, ledger.Reserve(Campaign, 2, Units(0.6m)));
        Assert.Equal(Units(0.4m), Read(ledger).RemainingTodayNanos);
    }

    [Fact]
    public void SettleSpendsTheClearingPriceAndFreesTheRest()
    {
        var (ledger, _) = Ledger(total: 1.0m, daily: 1.0m);
        ledger.Reserve(Campaign, 1, Units(0.5m));
        Assert.Equal(SettleOutcome.Settled, ledger.Settle(Campaign, 1, Units(0.3m)));
        var balance = Read(ledger);
        Assert.Equal(Units(0.3m), balance.SpentNanos);
        Assert.Equal(Units(0.3m), balance.SpentTodayNanos);
        Assert.Equal(0, balance.ReservedNanos);
        Assert.Equal(0, balance.ReservedTodayNanos);
        Assert.Equal(Units(0.7m), balance.RemainingNanos);
        Assert.Equal(0, balance.Outstanding);
    }

    [Fact]
    public void RefusesASettleForASettledOrReleasedReservationSayingWhyAndSpendsOneItNeverHeld()
    {
        var (ledger, _) = Ledger(total: 1.0m, daily: null);
        ledger.Reserve(Campaign, 1, Units(0.5m));
        ledger.Reserve(Campaign, 2, Units(0.2m));
        // Never held here (lost in a crash, or another node's): the caller verified the token, so it is spend, once.
        Assert.Equal(SettleOutcome.SettledWithoutReservation, ledger.Settle(Campaign, 99, Units(0.1m)));
        Assert.Equal(SettleOutcome.AlreadySettled, ledger.Settle(Campaign, 99, Units(0.1m)));
        Assert.Equal(SettleOutcome.UnknownCampaign, ledger.Settle("other", 1, Units(0.1m)));
        Assert.Equal(SettleOutcome.Settled, ledger.Settle(Campaign, 1, Units(0.5m)));
        Assert.Equal(SettleOutcome.AlreadySettled, ledger.Settle(Campaign, 1, Units(0.5m)));
        Assert.Equal(ReleaseOutcome.Released, ledger.Release(Campaign, 2));
        Assert.Equal(SettleOutcome.AlreadyReleased, ledger.Settle(Campaign, 2, Units(0.1m)));
        Assert.Equal(ReleaseOutcome.AlreadyEnded, ledger.Release(Campaign, 2));
        Assert.Equal(Units(0.6m), Read(ledger).SpentNanos);
        Assert.Equal(Units(0.1m), Read(ledger).LateSpentNanos);
        Assert.Equal(2, ledger.SettleCount(SettleOutcome.AlreadySettled));
        Assert.Equal(1, ledger.SettleCount(SettleOutcome.SettledWithoutReservation));
    }

    [Fact]
    public void SettlesAClearingPriceAboveTheReservationAtTheReservation()
    {
        var (ledger, _) = Ledger(total: 1.0m, daily: null);
        ledger.Reserve(Campaign, 1, Units(0.5m));
        // The notice layer checked the price against the signed bid; above the reservation is rates moving.
        Assert.Equal(SettleOutcome.Settled, ledger.Settle(Campaign, 1, Units(0.6m)));
        Assert.Equal(0, Read(ledger).ReservedNanos);
        Assert.Equal(Units(0.5m), Read(ledger).SpentNanos);
    }

    [Fact]
    public void RefusesReservationsForCampaignsWithoutLimitsAndDuplicateIds()
    {
        var (ledger, _) = Ledger(total: null, daily: null);
        Assert.Equal(ReserveOutcome.UnknownCampaign, ledger.Reserve("nobody", 1, 10));
        Assert.Equal(ReserveOutcome.Reserved, ledger.Reserve(Campaign, 1, 10));
        Assert.Equal(ReserveOutcome.DuplicateReservation, ledger.Reserve(Campaign, 1, 10));
        Assert.Equal(ReserveOutcome.InvalidAmount, ledger.Reserve(Campaign, 2, 0));
        Assert.Null(Read(ledger).RemainingNanos);
    }

    [Fact]
    public void ExpiryGivesBudgetBackOnlyAfterTheTimeToLive()
    {
        var (ledger, clock) = Ledger(total: 1.0m, daily: null, options: new LedgerOptions { ReservationTtl = TimeSpan.FromMinutes(5) });
        ledger.Reserve(Campaign, 1, Units(1.0m));
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(0, ledger.Expire());
        Assert.Equal(ReserveOutcome.TotalExhausted, ledger.Reserve(Campaign, 2, Units(0.1m)));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, ledger.Expire());
        Assert.Equal(Units(1.0m), Read(ledger).RemainingNanos);
        Assert.Equal(ReserveOutcome.Reserved, ledger.Reserve(Campaign, 2, Units(0.1m)));
        Assert.Equal(ReleaseOutcome.AlreadyEnded, ledger.Release(Campaign, 1));
        Assert.Equal(1, ledger.ExpiredTotal);
    }

    [Fact]
    public void ALateBillingNoticeIsSpendAndLateSpendAndStopsFurtherBids()
    {
        var (ledger, clock) = Ledger(total: 1.0m, daily: null);
        ledger.Reserve(Campaign, 1, Units(1.0m));
        clock.Advance(TimeSpan.FromMinutes(5));
        ledger.Expire();
        Assert.Equal(ReserveOutcome.Reserved, ledger.Reserve(Campaign, 2, Units(1.0m)));
        Assert.Equal(SettleOutcome.Settled, ledger.Settle(Campaign, 2, Units(0.9m)));
        Assert.Equal(SettleOutcome.SettledAfterExpiry, ledger.Settle(Campaign, 1, Units(0.8m)));
        var balance = Read(ledger);
        Assert.Equal(Units(1.7m), balance.SpentNanos);
        Assert.Equal(Units(0.8m), balance.LateSpentNanos);
        Assert.Equal(Units(0.8m), ledger.LateSpentNanosTotal);
        Assert.True(balance.SpentNanos <= balance.TotalNanos + balance.LateSpentNanos);
        Assert.Equal(ReserveOutcome.TotalExhausted, ledger.Reserve(Campaign, 3, 1));
        Assert.Equal(SettleOutcome.AlreadySettled, ledger.Settle(Campaign, 1, Units(0.8m)));
    }

    [Fact]
    public void ForgetsEndedReservationsAfterTheLateNoticeWindow()
    {
        var options = new LedgerOptions { ReservationTtl = TimeSpan.FromMinutes(5), LateNoticeWindow = TimeSpan.FromMinutes(10) };
        var (ledger, clock) = Ledger(total: 1.0m, daily: null, options: options);
        ledger.Reserve(Campaign, 1, Units(0.5m));
        ledger.Reserve(Campaign, 2, Units(0.5m));
        ledger.Settle(Campaign, 2, Units(0.5m));
        Assert.Equal(2, ledger.Held);
        clock.Advance(TimeSpan.FromMinutes(14));
        ledger.Expire();
        Assert.Equal(2, ledger.Held);
        clock.Advance(TimeSpan.FromMinutes(1));
        ledger.Expire();
        Assert.Equal(0, ledger.Held);
        Assert.Equal(Units(0.5m), Read(ledger).SpentNanos);

        // Forgotten: no token lives this long (the start refuses a lifetime above time to live + window).
        Assert.Equal(SettleOutcome.SettledWithoutReservation, ledger.Settle(Campaign, 1, Units(0.5m)));
    }

    [Fact]
    public void RefusesReservationsOnceTheLedgerHoldsItsMaximum()
    {
        var (ledger, clock) = Ledger(total: null, daily: null, options: new LedgerOptions { MaxReservations = 2, LateNoticeWindow = TimeSpan.Zero });
        Assert.Equal(ReserveOutcome.Reserved, ledger.Reserve(Campaign, 1, 10));
        Assert.Equal(ReserveOutcome.Reserved, ledger.Reserve(Campaign, 2, 10));
        Assert.Equal(ReserveOutcome.LedgerFull, ledger.Reserve(Campaign, 3, 10));
        clock.Advance(TimeSpan.FromMinutes(5));
        ledger.Expire();
        Assert.Equal(ReserveOutcome.Reserved, ledger.Reserve(Campaign, 3, 10));
    }

    [Fact]
    public void DailyBudgetResetsAtMidnightInTheCampaignsTimeZone()
    {
        // 03:59 UTC on 10 March 2026 is 23:59 on the 9th in New York (EDT, UTC-4).
        var (ledger, clock) = Ledger(total: 10m, daily: 1.0m, zone: "America/New_York", start: new DateTimeOffset(2026, 3, 10, 3, 59, 0, TimeSpan.Zero));
        ledger.Reserve(Campaign, 1, Units(1.0m));
        ledger.Reserve(Campaign, 2, Units(0.5m)); // refused: the day is full
        ledger.Settle(Campaign, 1, Units(0.6m));
        Assert.Equal(ReserveOutcome.DailyExhausted, ledger.Reserve(Campaign, 3, Units(0.5m)));
        clock.Advance(TimeSpan.FromMinutes(1));
        var balance = Read(ledger);
        Assert.Equal(0, balance.SpentTodayNanos);
        Assert.Equal(Units(0.6m), balance.SpentNanos);
        Assert.Equal(ReserveOutcome.Reserved, ledger.Reserve(Campaign, 3, Units(1.0m)));
    }

    [Fact]
    public void AReservationFromYesterdaySettledTodayCountsTowardTheTotalOnly()
    {
        var (ledger, clock) = Ledger(total: 10m, daily: 1.0m, start: new DateTimeOffset(2026, 6, 1, 23, 59, 0, TimeSpan.Zero));
        ledger.Reserve(Campaign, 1, Units(0.8m));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(0, Read(ledger).ReservedTodayNanos);
        Assert.Equal(Units(0.8m), Read(ledger).ReservedNanos);
        Assert.Equal(ReserveOutcome.Reserved, ledger.Reserve(Campaign, 2, Units(1.0m)));
        Assert.Equal(SettleOutcome.Settled, ledger.Settle(Campaign, 1, Units(0.5m)));
        var balance = Read(ledger);
        Assert.Equal(Units(0.5m), balance.SpentNanos);
        Assert.Equal(0, balance.SpentTodayNanos);
        Assert.Equal(Units(1.0m), balance.ReservedTodayNanos);
    }

    [Fact]
    public void ManyThreadsNeverReserveMoreThanTheBudget()
    {
        var (ledger, _) = Ledger(total: 1.0m, daily: null);
        var price = Units(0.003m); // 333 fit, 334 do not
        var reserved = 0;
        Parallel.For(0, 8, t =>
        {
            for (var i = 0; i < 1000; i++)
            {
                if (ledger.Reserve(Campaign, (t * 1000) + i, price) == ReserveOutcome.Reserved)
                {
                    Interlocked.Increment(ref reserved);
                }
            }
        });
        Assert.Equal(333, reserved);
        Assert.Equal(333 * price, Read(ledger).ReservedNanos);
    }

    /// <summary>
    /// Random bids, wins, losses, silences and late notices over simulated days, checked against the
    /// bound on <see cref="IBudgetLedger"/>: spent ≤ budget + late spend (total and each day), late
    /// spend ≤ the prices of reservations that expired, and spent + reserved ≤ budget whenever
    /// nothing was late.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SpendNeverPassesTheBudgetByMoreThanTheLateNoticesOfExpiredReservations(int seed)
    {
        var random = new Random(seed);
        var total = Units(8m);
        var daily = Units(5m);
        var (ledger, clock) = Ledger(total: 8m, daily: 5m, options: new LedgerOptions { ReservationTtl = TimeSpan.FromMinutes(5), LateNoticeWindow = TimeSpan.FromMinutes(30) });
        var outstanding = new List<(long Id, long Amount, long At)>();
        var expired = new List<(long Id, long Amount)>();
        long expiredAmounts = 0;
        long nextId = 1;
        for (var step = 0; step < 200_000; step++)
        {
            clock.Advance(TimeSpan.FromSeconds(random.Next(0, 3)));
            var amount = random.NextInt64(1, Units(0.05m));
            if (ledger.Reserve(Campaign, nextId, amount) == ReserveOutcome.Reserved)
            {
                outstanding.Add((nextId, amount, clock.Timestamp));
            }

            nextId++;
            if (outstanding.Count > 0 && random.Next(3) == 0)
            {
                var pick = random.Next(outstanding.Count);
                var (id, reservedAmount, _) = outstanding[pick];
                outstanding.RemoveAt(pick);
                switch (random.Next(3))
                {
                    case 0:
                        Assert.Equal(SettleOutcome.Settled, ledger.Settle(Campaign, id, random.NextInt64(0, reservedAmount + 1)));
                        break;
                    case 1:
                        ledger.Release(Campaign, id);
                        break;
                    default:
                        break; // silence: left to expire
                }
            }

            if (step % 50 == 0)
            {
                ledger.Expire();
                var cutoff = clock.Timestamp - TimeSpan.FromMinutes(5).Ticks;
                foreach (var o in outstanding.Where(o => o.At <= cutoff).ToList())
                {
                    outstanding.Remove(o);
                    expired.Add((o.Id, o.Amount));
                }
            }

            if (expired.Count > 0 && random.Next(20) == 0)
            {
                var pick = random.Next(expired.Count);
                var (id, expiredAmount) = expired[pick];
                expired.RemoveAt(pick);
                if (ledger.Settle(Campaign, id, expiredAmount) is SettleOutcome.SettledAfterExpiry or SettleOutcome.SettledWithoutReservation)
                {
                    expiredAmounts += expiredAmount;
                }
            }

            var balance = Read(ledger);
            Assert.True(balance.SpentNanos <= total + balance.LateSpentNanos, $"step {step}: spent {balance.SpentNanos} over {total} + late {balance.LateSpentNanos}");
            Assert.True(balance.SpentTodayNanos <= daily + balance.LateSpentNanos, $"step {step}: spent today {balance.SpentTodayNanos}");
            Assert.True(balance.LateSpentNanos <= expiredAmounts);
            if (balance.LateSpentNanos == 0)
            {
                Assert.True(balance.SpentNanos + balance.ReservedNanos <= total);
                Assert.True(balance.SpentTodayNanos + balance.ReservedTodayNanos <= daily);
            }
        }

        var end = Read(ledger);
        Assert.True(end.SpentNanos > total / 2, "the run must spend most of its budget to test the bound");
        Assert.True(end.LateSpentNanos > 0, "the run must include late notices to test the bound");
        Assert.True(end.SpentNanos > total, "late notices must have pushed spend past the budget");
    }
}
