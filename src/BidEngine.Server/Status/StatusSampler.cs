using System.Diagnostics;
using BidEngine.Core.Budgets;
using BidEngine.Core.Eligibility;
using BidEngine.Core.Operations;
using BidEngine.Core.Pipeline;
using BidEngine.Server.Metrics;

namespace BidEngine.Server.Status;

/// <summary>
/// Once a second, off the request path: reads counters that already exist (the bid endpoint's answers
/// by path, late answers, bids and latency recorder; the billing book's settled bills; the eligibility
/// gate's skips) and adds the second's difference to the <see cref="StatusHistory"/> the status page
/// charts. The request path does no work for it.
/// </summary>
internal sealed class StatusSampler(StatusHistory history, BidMetrics metrics, BillingBook billing, CampaignGate gate, TimeProvider time, ILogger<StatusSampler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private static readonly SkipReason[] SkipReasons = Enum.GetValues<SkipReason>();
    private static readonly SettleOutcome[] SpendOutcomes = [.. Enum.GetValues<SettleOutcome>().Where(SettleOutcomes.IsSpend)];

    private TrafficReading _last;

    /// <summary>Takes one sample: the counters' change since the previous call.</summary>
    public void SampleOnce()
    {
        var now = Read();
        var latency = metrics.TakeLatencySinceLastSample();
        if (_last.Timestamp != 0)
        {
            history.Add(StatusSample.Between(_last, now, Stopwatch.Frequency, time.GetUtcNow().ToUnixTimeSeconds(), latency));
        }

        _last = now;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            SampleOnce();
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    SampleOnce();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Status sample failed; trying again in a second");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private TrafficReading Read()
    {
        long billed = 0;
        foreach (var outcome in SpendOutcomes)
        {
            billed += billing.Count(outcome);
        }

        long skipped = 0;
        foreach (var reason in SkipReasons)
        {
            skipped += gate.SkippedCount(reason);
        }

        return new TrafficReading(
            Stopwatch.GetTimestamp(),
            metrics.FinishedCount,
            (long)metrics.BidCount,
            (long)metrics.PathCount(ScoringPath.Model),
            (long)metrics.PathCount(ScoringPath.Heuristic),
            (long)metrics.PathCount(ScoringPath.None),
            (long)metrics.ShedCount,
            (long)metrics.PathCount(ScoringPath.NoCandidates),
            (long)metrics.LateCount,
            billed,
            skipped,
            gate.SkippedCount(SkipReason.FrequencyCap));
    }
}
