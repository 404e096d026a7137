using BidEngine.Core.Budgets;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Pacing;
using BidEngine.Core.Time;

namespace BidEngine.Training.Pacing;

/// <summary>
/// A day of bidding in simulated time, through the real Pacer and InProcessBudgetLedger on a
/// ManualClock: each second brings requests; each campaign eligible for one asks its pacer whether
/// to take part, reserves its bid in the ledger, wins with its win rate, and gets its billing notice
/// (Settle at a clearing price below the bid) seconds to minutes later, or never. Lost bids are
/// released when reported, else expire. Pacers are updated every minute from the ledger's spend,
/// the ledger swept every few seconds. Bidding stops at midnight; notices keep coming for a further
/// 20 minutes, so the day's spend includes its late notices.
/// </summary>
public sealed class DaySimulation
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero); // a Monday, no DST change
    private readonly IReadOnlyList<SimulatedCampaign> _campaigns;
    private readonly DaySimulationOptions _options;

    public DaySimulation(IReadOnlyList<SimulatedCampaign> campaigns, DaySimulationOptions options)
    {
        _campaigns = campaigns;
        _options = options;
    }

    public IReadOnlyList<CampaignDay> Run()
    {
        var random = new Random(_options.Seed);
        var clock = new ManualClock(Start);
        var ledger = new InProcessBudgetLedger(clock, new LedgerOptions { ReservationTtl = _options.ReservationTtl, LateNoticeWindow = TimeSpan.FromMinutes(30) });
        var n = _campaigns.Count;
        var pacers = new Pacer[n];
        var daily = new long[n];
        var hourly = new long[n][];
        var late = new long[n];
        var bids = new long[n];
        var wins = new long[n];
        var refused = new long[n];
        for (var c = 0; c < n; c++)
        {
            daily[c] = Money.FromUnits(_campaigns[c].DailyBudget);
            ledger.SetLimits(_campaigns[c].Id, new BudgetLimits(null, daily[c], TimeZoneInfo.Utc));
            pacers[c] = new Pacer(_campaigns[c].Pacing, TimeZoneInfo.Utc);
            hourly[c] = new long[24];
        }

        var notices = new PriorityQueue<Notice, long>();
        var day = (int)TimeSpan.FromDays(1).TotalSeconds;
        var tail = (int)TimeSpan.FromMinutes(20).TotalSeconds;
        var pacerEvery = (int)_options.PacerInterval.TotalSeconds;
        var expireEvery = (int)_options.ExpireInterval.TotalSeconds;
        long reservation = 0;
        for (var second = 0; second < day + tail; second++)
        {
            while (notices.TryPeek(out var notice, out var due) && due <= second)
            {
                notices.Dequeue();
                var id = _campaigns[notice.Campaign].Id;
                if (notice.ClearingNanos < 0)
                {
                    ledger.Release(id, notice.Reservation);
                    continue;
                }

                var outcome = ledger.Settle(id, notice.Reservation, notice.ClearingNanos);
                if (outcome is SettleOutcome.Settled or SettleOutcome.SettledAfterExpiry)
                {
                    hourly[notice.Campaign][notice.BidSecond / 3600] += notice.ClearingNanos;
                    late[notice.Campaign] += outcome == SettleOutcome.SettledAfterExpiry ? notice.ClearingNanos : 0;
                }
            }

            if (second < day)
            {
                var requests = Arrivals(random, _options.RequestsPerSecond * Traffic(second));
                for (var r = 0; r < requests; r++)
                {
                    for (var c = 0; c < n; c++)
                    {
                        var campaign = _campaigns[c];
                        if (random.NextDouble() >= campaign.EligibleShare || !pacers[c].Participate())
                        {
                            continue;
                        }

                        var bidNanos = Money.PerImpressionFromCpm(campaign.MinBidCpm + (random.NextDouble() * (campaign.MaxBidCpm - campaign.MinBidCpm)));
                        var id = ++reservation;
                        if (ledger.Reserve(campaign.Id, id, bidNanos) != ReserveOutcome.Reserved)
                        {
                            refused[c]++;
                            continue;
                        }

                        bids[c]++;
                        if (random.NextDouble() < campaign.WinRate)
                        {
                            wins[c]++;
                            var clearing = (long)(bidNanos * (0.5 + (random.NextDouble() * 0.5)));
                            if (BillingDelay(random) is { } delay)
                            {
                                notices.Enqueue(new Notice(c, id, clearing, second), second + delay);
                            }
                        }
                        else if (random.NextDouble() < _options.ReportedLossShare)
                        {
                            notices.Enqueue(new Notice(c, id, -1, second), second + random.Next(1, 6));
                        }
                    }
                }
            }

            if (second % expireEvery == 0)
            {
                ledger.Expire();
            }

            if (second % pacerEvery == 0 && second < day)
            {
                for (var c = 0; c < n; c++)
                {
                    ledger.TryRead(_campaigns[c].Id, out var balance);
                    pacers[c].Update(clock.UtcNow, balance.SpentTodayNanos, daily[c]);
                }
            }

            clock.Advance(TimeSpan.FromSeconds(1));
        }

        return [.. Enumerable.Range(0, n).Select(c => new CampaignDay(_campaigns[c], daily[c], hourly[c], hourly[c].Sum(), late[c], bids[c], wins[c], refused[c]))];
    }

    /// <summary>Traffic at this second of the day relative to the day's average.</summary>
    private double Traffic(int second) =>
        _options.Steady ? 1 : 1 + (0.45 * Math.Sin(2 * Math.PI * ((second / 86_400.0) - 0.375)));

    /// <summary>Requests in one second: the whole part of the rate, plus one with the fraction's chance.</summary>
    private static int Arrivals(Random random, double rate)
    {
        var whole = (int)rate;
        return whole + (random.NextDouble() < rate - whole ? 1 : 0);
    }

    /// <summary>Seconds until the billing notice of a win; null when it never comes.</summary>
    private int? BillingDelay(Random random)
    {
        var draw = random.NextDouble();
        if (draw < _options.NeverBilledShare)
        {
            return null;
        }

        return draw < _options.NeverBilledShare + _options.SlowBilledShare
            ? random.Next(60, 600)
            : 1 + (int)(-10 * Math.Log(1 - random.NextDouble())); // about 10 s on average
    }

    private readonly record struct Notice(int Campaign, long Reservation, long ClearingNanos, int BidSecond);
}
