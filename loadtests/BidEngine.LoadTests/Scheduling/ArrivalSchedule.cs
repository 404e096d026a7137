namespace BidEngine.LoadTests.Scheduling;

/// <summary>
/// The intended send time of every request of an open-model run, computed before the run.
/// Requests go out at these times whether or not earlier ones have returned, and latency is
/// measured from them, so a stalled server cannot slow the generator down and hide the stall
/// (coordinated omission).
/// </summary>
public sealed class ArrivalSchedule
{
    /// <summary>Hard cap on one schedule, so every run is bounded in request count (and memory: 8 B each).</summary>
    public const int MaxRequests = 20_000_000;

    private ArrivalSchedule(long[] offsetsTicks, int recordFrom, int recordTo, TimeSpan duration, TimeSpan recordedDuration)
    {
        OffsetsTicks = offsetsTicks;
        RecordFrom = recordFrom;
        RecordTo = recordTo;
        Duration = duration;
        RecordedDuration = recordedDuration;
    }

    /// <summary>Intended send time of request i, as <see cref="TimeSpan"/> ticks (100 ns) from the start.</summary>
    public long[] OffsetsTicks { get; }

    /// <summary>First recorded request (the warm-up comes before it).</summary>
    public int RecordFrom { get; }

    /// <summary>One past the last recorded request.</summary>
    public int RecordTo { get; }

    public int Count => OffsetsTicks.Length;

    public TimeSpan Duration { get; }

    public TimeSpan RecordedDuration { get; }

    public bool IsRecorded(int index) => index >= RecordFrom && index < RecordTo;

    /// <summary>
    /// Lays out arrivals phase after phase. Within a phase the k-th arrival is at the time t where the
    /// expected count N(t) = r0·t + (r1 − r0)·t²/(2T) reaches k, that is t = 2k / (r0 + √(r0² + 2k(r1 − r0)/T)),
    /// a form that stays exact for a constant rate (t = k / r0) and for ramps down.
    /// </summary>
    public static ArrivalSchedule Build(IReadOnlyList<Phase> phases, int maxRequests = MaxRequests)
    {
        ArgumentNullException.ThrowIfNull(phases);
        if (phases.Count == 0)
        {
            throw new ArgumentException("A schedule needs at least one phase.", nameof(phases));
        }

        double expected = 0;
        foreach (var p in phases)
        {
            if (p.StartRate < 0 || p.EndRate < 0 || double.IsNaN(p.StartRate) || double.IsNaN(p.EndRate))
            {
                throw new ArgumentException($"Rates must be >= 0 (got {p.StartRate} -> {p.EndRate}).", nameof(phases));
            }

            if (p.Duration <= TimeSpan.Zero)
            {
                throw new ArgumentException($"Phase durations must be > 0 (got {p.Duration}).", nameof(phases));
            }

            expected += p.ExpectedCount;
        }

        if (expected > maxRequests)
        {
            throw new ArgumentException($"The schedule would send {expected:F0} requests, more than the cap of {maxRequests}.", nameof(phases));
        }

        var offsets = new List<long>((int)Math.Ceiling(expected) + phases.Count);
        int recordFrom = -1, recordTo = -1;
        var start = TimeSpan.Zero;
        var recordedDuration = TimeSpan.Zero;
        bool recordedSeen = false, recordedEnded = false;
        foreach (var p in phases)
        {
            if (p.Recorded)
            {
                if (recordedEnded)
                {
                    throw new ArgumentException("Recorded phases must be contiguous (warm-up first).", nameof(phases));
                }

                if (!recordedSeen)
                {
                    recordFrom = offsets.Count;
                    recordedSeen = true;
                }

                recordedDuration += p.Duration;
            }
            else if (recordedSeen)
            {
                recordedEnded = true;
            }

            AddPhase(offsets, p, start.Ticks);
            if (p.Recorded)
            {
                recordTo = offsets.Count;
            }

            start += p.Duration;
        }

        if (!recordedSeen)
        {
            recordFrom = recordTo = offsets.Count;
        }

        return new ArrivalSchedule(offsets.ToArray(), recordFrom, recordTo, start, recordedDuration);
    }

    /// <summary>Offset in seconds, within a phase, of its k-th arrival (k from 0).</summary>
    public static double ArrivalTime(Phase phase, long k)
    {
        double r0 = phase.StartRate, r1 = phase.EndRate, T = phase.Duration.TotalSeconds;
        if (k == 0)
        {
            return 0;
        }

        double slope = (r1 - r0) / T;
        double disc = r0 * r0 + 2 * k * slope;
        if (disc < 0)
        {
            return double.PositiveInfinity; // a ramp down that never reaches k arrivals
        }

        double denom = r0 + Math.Sqrt(disc);
        return denom <= 0 ? double.PositiveInfinity : 2 * k / denom;
    }

    private static void AddPhase(List<long> offsets, Phase phase, long startTicks)
    {
        long phaseTicks = phase.Duration.Ticks;
        for (long k = 0; ; k++)
        {
            double t = ArrivalTime(phase, k);
            if (k == 0 && phase.StartRate == 0 && phase.EndRate == 0)
            {
                return;
            }

            long ticks = (long)Math.Round(t * TimeSpan.TicksPerSecond);
            if (double.IsInfinity(t) || ticks >= phaseTicks)
            {
                return;
            }

            // A ramp from 0 has its first arrival at 0 only if the rate there is positive; otherwise skip k = 0.
            if (k == 0 && phase.StartRate == 0)
            {
                continue;
            }

            offsets.Add(startTicks + ticks);
        }
    }
}
