using System.Diagnostics;
using System.Globalization;

namespace BidEngine.Core.Deadlines;

/// <summary>
/// How busy the CPUs this process may run on are, and how much of them the process itself uses,
/// read from Linux's <c>/proc/stat</c> and the process's own CPU time. A request that waits for a
/// CPU waits where no counter inside the process sees it (in the kernel's run queue, in a socket
/// buffer, or in the exchange's own connection queue), so saturated CPUs are the one sign of that
/// wait the bidder can read. Not thread-safe: one sampler thread owns an instance.
/// </summary>
public sealed class CpuUsage
{
    private const string StatPath = "/proc/stat";
    private readonly bool[] _allowed;
    private readonly Process _process = Process.GetCurrentProcess();
    private long _lastBusy;
    private long _lastTotal;
    private TimeSpan _lastOwn;
    private long _lastTimestamp;

    private CpuUsage(bool[] allowed, int cpuCount)
    {
        _allowed = allowed;
        CpuCount = cpuCount;
    }

    /// <summary>The CPUs the process may run on (its affinity), as the kernel numbers them.</summary>
    public int CpuCount { get; }

    /// <summary>
    /// A reader for this machine, or null where <c>/proc/stat</c> is missing (not Linux) or the
    /// affinity cannot be read: then CPU-based shedding is off and says so at start.
    /// </summary>
    public static CpuUsage? TryCreate()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(StatPath))
        {
            return null;
        }

        try
        {
            var mask = (long)Process.GetCurrentProcess().ProcessorAffinity;
            var allowed = new bool[64];
            var count = 0;
            for (var cpu = 0; cpu < 64; cpu++)
            {
                if ((mask & (1L << cpu)) != 0)
                {
                    allowed[cpu] = true;
                    count++;
                }
            }

            if (count == 0)
            {
                return null;
            }

            var usage = new CpuUsage(allowed, count);
            usage.TrySample(out _, out _); // The first call only sets the starting point.
            return usage._lastTotal > 0 ? usage : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Busy share of the allowed CPUs (0..1, whoever used them) and the process's own share of
    /// them since the previous call. False on the first call, when there is no interval yet.
    /// </summary>
    public bool TrySample(out double busy, out double own)
    {
        busy = own = 0;
        var now = Stopwatch.GetTimestamp();
        _process.Refresh();
        var ownTime = _process.TotalProcessorTime;
        if (!ReadStat(out var busyTicks, out var totalTicks))
        {
            return false;
        }

        var first = _lastTotal == 0;
        var dBusy = busyTicks - _lastBusy;
        var dTotal = totalTicks - _lastTotal;
        var dOwn = ownTime - _lastOwn;
        var wall = Stopwatch.GetElapsedTime(_lastTimestamp, now);
        _lastBusy = busyTicks;
        _lastTotal = totalTicks;
        _lastOwn = ownTime;
        _lastTimestamp = now;
        if (first || dTotal <= 0 || wall <= TimeSpan.Zero)
        {
            return false;
        }

        busy = Math.Clamp((double)dBusy / dTotal, 0, 1);
        own = Math.Clamp(dOwn.TotalSeconds / (wall.TotalSeconds * CpuCount), 0, 1);
        return true;
    }

    /// <summary>Sums the kernel's per-CPU counters (USER_HZ ticks) over the allowed CPUs.</summary>
    private bool ReadStat(out long busy, out long total)
    {
        busy = total = 0;
        var found = false;
        foreach (var line in File.ReadLines(StatPath))
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal))
            {
                break; // The cpu lines come first.
            }

            if (line.Length < 4 || !char.IsAsciiDigit(line[3]))
            {
                continue; // The "cpu" line sums every CPU, allowed or not.
            }

            if (!TryParseCpuLine(line.AsSpan(3), out var cpu, out var lineBusy, out var lineTotal)
                || cpu >= _allowed.Length || !_allowed[cpu])
            {
                continue;
            }

            busy += lineBusy;
            total += lineTotal;
            found = true;
        }

        return found;
    }

    /// <summary>
    /// "N user nice system idle iowait irq softirq steal ...": idle and iowait are idle time,
    /// steal is time the hypervisor gave to someone else, so counted busy (not ours to use).
    /// </summary>
    internal static bool TryParseCpuLine(ReadOnlySpan<char> line, out int cpu, out long busy, out long total)
    {
        cpu = 0;
        busy = total = 0;
        var field = -1;
        long idle = 0;
        foreach (var range in line.Split(' '))
        {
            var token = line[range];
            if (token.IsEmpty)
            {
                continue;
            }

            if (field == -1)
            {
                if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out cpu))
                {
                    return false;
                }
            }
            else if (field < 8)
            {
                // guest and guest_nice (fields 8, 9) are already inside user and nice.
                if (!long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    return false;
                }

                total += value;
                if (field is 3 or 4)
                {
                    idle += value;
                }
            }

            field++;
        }

        busy = total - idle;
        return field >= 4;
    }
}
