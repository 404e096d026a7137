using System.Diagnostics;

namespace BidEngine.Core.Time;

/// <summary>The host's clocks: <see cref="DateTimeOffset.UtcNow"/> and <see cref="Stopwatch"/>.</summary>
public sealed class SystemClock : IClock
{
    public static SystemClock Instance { get; } = new();

    private SystemClock()
    {
    }

    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;

    // Stopwatch ticks at 1 GHz on Linux; converted through 128 bits so that no uptime overflows.
    public long Timestamp => (long)((Int128)Stopwatch.GetTimestamp() * TimeSpan.TicksPerSecond / Stopwatch.Frequency);
}
