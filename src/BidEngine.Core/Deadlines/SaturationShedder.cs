namespace BidEngine.Core.Deadlines;

/// <summary>
/// Sheds a share of requests while the bidder's CPUs are saturated. When every CPU is busy,
/// requests wait where the bidder cannot see them: in the kernel's run queue, in socket buffers,
/// and in the exchange's own queue for a free connection. The thread pool's queueing delay stays
/// short while answers reach the exchange too late; only the CPUs' busy share shows it. A
/// controller samples that share every <see cref="DeadlineOptions.CpuSampleMs"/> and moves the
/// shed share up while it is over <see cref="DeadlineOptions.ShedCpuBusy"/> and down while it is
/// under, so the bidder runs just below saturation and answers what it takes in time.
/// </summary>
/// <remarks>
/// Shedding only starts while the bidder itself uses at least <see cref="DeadlineOptions.ShedCpuOwnShare"/>
/// of the CPUs: a neighbour's build that fills the machine must not make an idle bidder refuse work.
/// </remarks>
public sealed class SaturationShedder : IDisposable
{
    /// <summary>Largest change of the shed share per sample: fast enough to catch a burst in a few tenths of a second, slow enough not to swing.</summary>
    private const double MaxStep = 0.1;

    /// <summary>Shed share change per unit of busy share over the target, per sample.</summary>
    private const double Gain = 2.0;

    /// <summary>Weight of the newest sample: /proc/stat counts in 10 ms ticks, so one 100 ms sample of one CPU is only good to ±10%.</summary>
    private const double Smoothing = 0.5;

    [ThreadStatic]
    private static double t_credit;

    private readonly CpuUsage? _cpu;
    private readonly double _target;
    private readonly double _ownShare;
    private readonly int _intervalMs;
    private readonly Thread? _thread;
    private readonly ManualResetEventSlim _stop = new(false);
    private double _fraction;
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

    /// <summary>The share of new requests shed now (0..1).</summary>
    public double ShedFraction => Volatile.Read(ref _fraction);

    /// <summary>The smoothed busy share of the bidder's CPUs (NaN before the first sample or when off).</summary>
    public double CpuBusy => Volatile.Read(ref _busy);

    /// <summary>The smoothed share of those CPUs the bidder itself uses.</summary>
    public double CpuOwn => Volatile.Read(ref _own);

    /// <summary>
    /// Whether to shed this request: exactly the shed share of each thread's requests, spread
    /// evenly (a running credit per thread rather than a random draw, so no shared state is written).
    /// </summary>
    public bool ShouldShed()
    {
        var fraction = Volatile.Read(ref _fraction);
        if (fraction <= 0)
        {
            return false;
        }

        var credit = t_credit + fraction;
        if (credit >= 1)
        {
            t_credit = credit - 1;
            return true;
        }

        t_credit = credit;
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

        var error = busy - _target;
        if (error > 0 && own < _ownShare)
        {
            // Busy, but mostly with someone else's work: shedding our requests would not free the CPUs.
            error = -MaxStep / Gain;
        }

        var fraction = Volatile.Read(ref _fraction) + Math.Clamp(Gain * error, -MaxStep, MaxStep);
        Volatile.Write(ref _fraction, Math.Clamp(fraction, 0, 1));
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
