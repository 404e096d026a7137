using System.Diagnostics;

namespace BidEngine.Model.Scoring;

/// <summary>
/// One low-resolution thread that cuts off model runs past the end of their
/// <see cref="Core.Deadlines.ModelTimeLimit"/> (the policy's deadline less its write reserve) with
/// <c>RunOptions.Terminate</c>; the scorer counts each cut-off. It sleeps on an event while no bounded run is in flight and polls
/// every ~1 ms while one is; the run path pays two interlocked ops and, only when waking it, one Set.
/// </summary>
internal sealed class RunWatchdog : IDisposable
{
    private readonly Lock _registryLock = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly Thread _thread;
    private ScoringSlot[] _slots = [];
    private int _active;
    private int _sleeping;
    private volatile bool _disposed;

    public RunWatchdog()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "bidengine-ort-watchdog" };
        _thread.Start();
    }

    public void Register(ScoringSlot slot)
    {
        lock (_registryLock)
        {
            _slots = [.. _slots, slot];
        }
    }

    public void Unregister(ScoringSlot slot)
    {
        lock (_registryLock)
        {
            _slots = Array.FindAll(_slots, s => !ReferenceEquals(s, slot));
        }
    }

    /// <summary>A run with a bounded deadline starts.</summary>
    public void Enter()
    {
        if (Interlocked.Increment(ref _active) == 1 && Volatile.Read(ref _sleeping) == 1)
        {
            _wake.Set();
        }
    }

    public void Exit() => Interlocked.Decrement(ref _active);

    public void Dispose()
    {
        _disposed = true;
        _wake.Set();
        _thread.Join();
        _wake.Dispose();
    }

    private void Loop()
    {
        while (!_disposed)
        {
            if (Volatile.Read(ref _active) == 0)
            {
                // Exchange is a full fence: either Enter sees _sleeping = 1 and sets the event, or we see _active > 0.
                Interlocked.Exchange(ref _sleeping, 1);
                if (Volatile.Read(ref _active) == 0)
                {
                    _wake.WaitOne(100);
                }

                Interlocked.Exchange(ref _sleeping, 0);
                continue;
            }

            Thread.Sleep(1);
            var now = Stopwatch.GetTimestamp();
            foreach (var slot in Volatile.Read(ref _slots))
            {
                slot.TerminateIfLate(now);
            }
        }
    }
}
