namespace BidEngine.LoadTests.Scheduling;

/// <summary>
/// One stretch of an open-model schedule: the arrival rate goes linearly from
/// <see cref="StartRate"/> to <see cref="EndRate"/> (equal for a constant rate) over <see cref="Duration"/>.
/// Phases with <see cref="Recorded"/> false (warm-up) are sent but left out of the figures.
/// </summary>
public sealed record Phase(double StartRate, double EndRate, TimeSpan Duration, bool Recorded = true)
{
    public static Phase Constant(double rate, TimeSpan duration, bool recorded = true) => new(rate, rate, duration, recorded);

    public static Phase Ramp(double from, double to, TimeSpan duration, bool recorded = true) => new(from, to, duration, recorded);

    /// <summary>Expected arrivals in the phase: the area under the rate line.</summary>
    public double ExpectedCount => (StartRate + EndRate) / 2 * Duration.TotalSeconds;
}
