using System.Diagnostics;

namespace BidEngine.Core.Deadlines;

/// <summary>
/// Measures how long work waits in the thread pool before it runs: a background thread posts one
/// tiny work item at a time, every <see cref="DefaultIntervalMs"/> ms, and times it. Under overload
/// requests queue in the same pool before the endpoint sees them, so this is how late the endpoint
/// sees a request, and the signal admission control sheds on. A probe still waiting counts at once,
/// so a stall shows within one interval.
/// </summary>
public sealed class QueueDelayProbe : IThreadPoolWorkItem, IDisposable
{
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _ran = new(false);
    private readonly int _intervalMs;
    private long _postedAt;
    private long _lastDelayTicks;
    private volatile bool _pending;
    private volatile bool _stopped;

    /// <summary>
    /// Every 5 ms. Each probe wakes a pool thread and the probe thread; at one per millisecond an
    /// idle bidder spent 15-20% of a core (30-100k context switches a second) on this 2-vCPU VM.
    /// </summary>
    public const int DefaultIntervalMs = 5;

    public QueueDelayProbe()
        : this(DefaultIntervalMs)
    {
    }

    public QueueDelayProbe(int intervalMs)
    {
        _intervalMs = intervalMs;
        _thread = new Thread(Loop) { IsBackground = true, Name = "bidengine-queue-probe" };
        _thread.Start();
    }

    /// <summary>
    /// The current wait, in Stopwatch ticks: the last probe's, or longer while a probe is still
    /// waiting (a stalled pool shows at once, not when the probe finally runs).
    /// </summary>
    public long DelayTicks
    {
        get
        {
            var last = Volatile.Read(ref _lastDelayTicks);
            if (!_pending)
            {
                return last;
            }

            var waiting = Stopwatch.GetTimestamp() - Volatile.Read(ref _postedAt);
            return Math.Max(last, waiting);
        }
    }

    public double DelayMilliseconds => DelayTicks * 1000.0 / Stopwatch.Frequency;

    void IThreadPoolWorkItem.Execute()
    {
        Volatile.Write(ref _lastDelayTicks, Stopwatch.GetTimestamp() - Volatile.Read(ref _postedAt));
        _pending = false;
        _ran.Set();
    }

    public void Dispose()
    {
        _stopped = true;
        _ran.Set();
    }

    private void Loop()
    {
        while (!_stopped)
        {
            _ran.Reset();
            Volatile.Write(ref _postedAt, Stopwatch.GetTimestamp());
            _pending = true;
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            _ran.Wait();
            Thread.Sleep(_intervalMs);
        }
    }
}
