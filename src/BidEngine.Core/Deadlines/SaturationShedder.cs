namespace BidEngine.Core.Deadlines;

/// <summary>
/// Degrades, then sheds, while the bidder's CPUs are saturated. When every CPU is busy, requests
/// wait where the bidder cannot see them: in the kernel's run queue, in socket buffers, and in
/// the exchange's own queue for a free connection. The thread pool's queueing delay stays short
/// while answers reach the exchange too late; only the CPUs' busy share shows it. A controller
/// samples that share every <see cref="DeadlineOptions.CpuSampleMs"/> and moves a pressure (0..2)
/// up while it is over <see cref="DeadlineOptions.ShedCpuBusy"/> and down while it is under, so
/// the bidder runs just below saturation. Pressure 0..1 is the share of requests priced by the
/// heuristic instead of the model (cheaper, still a decision); 1..2 also sheds pressure − 1 of
/// requests with a cheap no-bid.
/// </summary>
/// <remarks>
/// Shedding only starts while the bidder itself uses at least <see cref="DeadlineOptions.ShedCpuOwnShare"/>
/// of the CPUs: a neighbour's build that fills the machine must not make an idle bidder refuse work.
/// </remarks>
public sealed class SaturationShedder : IDisposable
{
    /// <summary>Largest change of the pressure per sample: from nothing to shedding in about a second at 100 ms samples, not so fast that it swings.</summary>
    private const double MaxStep = 0.2;

    /// <summary>Pressure change per unit of busy share over the target, per sample.</summary>
    private const double Gain = 4.0;

    /// <summary>Full pressure: every request priced by the heuristic and every one shed.</summary>
    private const double MaxPressure = 2.0;

    /// <summary>Weight of the newest sample: /proc/stat counts in 10 ms ticks, so one 100 ms sample of one CPU is only good to ±10%.</summary>
    private const double Smoothing = 0.5;

    [ThreadStatic]
    private static double t_shedCredit;

    [ThreadStatic]
    private static double t_heuristicCredit;

    private readonly CpuUsage? _cpu;
    private readonly double _target;
    private readonly double _ownShare;
    private readonly int _intervalMs;
    private readonly Thread? _thread;
    private readonly ManualResetEventSlim _stop = new(false);
    private double _pressure;
    private volatile bool _armed;
    private double _busy = double.NaN;
    private double _own = double.NaN;

    public SaturationShedder(DeadlineOptions options)
        : this(options, options.ShedCpuBusy > 0 ? CpuUsage.TryCreate() : null, start: true)
    {
    }

    internal SaturationShedder(DeadlineOptions options, CpuUsage? cpu, bool start)
    {
        _cpu = cpu;
        _target = options.ShedCpuBusy;
        _ownShare = options.ShedCpuOwnShare;
        _intervalMs = options.CpuSampleMs;
        if (_cpu is not null && _target > 0 && start)
        {
            _thread = new Thread(Loop) { IsBackground = true, Name = "bidengine-cpu-shed" };
            _thread.Start();
        }
    }

    /// <summary>True when the CPUs are watched: the setting is on and this platform has <c>/proc/stat</c>.</summary>
    public bool Enabled => _cpu is not null && _target > 0;

    /// <summary>The pressure now (0..2): see the type's summary. 0 until <see cref="Arm"/>.</summary>
    public double Pressure => Volatile.Read(ref _pressure);

    /// <summary>
    /// Lets the pressure act once the bidder is warm. The warm-up itself saturates the CPUs on
    /// purpose; acting on that would warm the shed path instead of the model's.
    /// </summary>
    public void Arm() => _armed = true;

    /// <summary>The share of new requests shed now (0..1).</summary>
    public double ShedFraction => Math.Max(0, Pressure - 1);

    /// <summary>The share of admitted requests priced by the heuristic instead of the model now (0..1).</summary>
    public double HeuristicFraction => Math.Min(1, Pressure);

    /// <summary>The smoothed busy share of the bidder's CPUs (NaN before the first sample or when off).</summary>
    public double CpuBusy => Volatile.Read(ref _busy);

    /// <summary>The smoothed share of those CPUs the bidder itself uses.</summary>
    public double CpuOwn => Volatile.Read(ref _own);

    /// <summary>Whether to shed this request (see <see cref="Take"/>).</summary>
    public bool ShouldShed() => Take(ShedFraction, ref t_shedCredit);

    /// <summary>Whether to price this admitted request by the heuristic instead of the model (see <see cref="Take"/>).</summary>
    public bool ShouldSkipModel() => Take(HeuristicFraction, ref t_heuristicCredit);

    /// <summary>
    /// Exactly <paramref name="fraction"/> of each thread's calls answer true, spread evenly: a
    /// running credit per thread rather than a random draw, so no shared state is written.
    /// </summary>
    private static bool Take(double fraction, ref double credit)
    {
        if (fraction <= 0)
        {
            return false;
        }

        var next = credit + fraction;
        if (next >= 1)
        {
            credit = next - 1;
            return true;
        }

        credit = next;
        return false;
    }

    /// <summary>One controller step from a sample; the sampler thread calls it, tests call it directly.</summary>
    internal void Update(double busy, double own)
    {
        var lastBusy = Volatile.Read(ref _busy);
        var lastOwn = Volatile.Read(ref _own);
        busy = double.IsNaN(lastBusy) ? busy : (Smoothing * busy) + ((1 - Smoothing) * lastBusy);
        own = double.IsNaN(lastOwn) ? own : (Smoothing * own) + ((1 - Smoothing) * lastOwn);
        Volatile.Write(ref _busy, busy);
        Volatile.Write(ref _own, own);

        if (!_armed)
        {
            return; // The CPUs are watched from the start, but pressure only builds once armed.
        }

        var error = busy - _target;
        if (error > 0 && own < _ownShare)
        {
            // Busy, but mostly with someone else's work: shedding our requests would not free the CPUs.
            error = -MaxStep / Gain;
        }

        var pressure = Volatile.Read(ref _pressure) + Math.Clamp(Gain * error, -MaxStep, MaxStep);
        Volatile.Write(ref _pressure, Math.Clamp(pressure, 0, MaxPressure));
    }

    public void Dispose()
    {
        _stop.Set();
        if (_thread is null || _thread.Join(TimeSpan.FromSeconds(1)))
        {
            _stop.Dispose();
        }
    }

    private void Loop()
    {
        while (!_stop.Wait(_intervalMs))
        {
            if (_cpu!.TrySample(out var busy, out var own))
            {
                Update(busy, own);
            }
        }
    }
}
