namespace BidEngine.Core.FrequencyCaps;

/// <summary>Size of the frequency table.</summary>
public sealed class FrequencyCapOptions
{
    /// <summary>
    /// User × campaign entries the table holds, rounded up to a power of two (at least 8). 24 B
    /// each, allocated once: the default 1,048,576 is 24 MiB and never grows.
    /// </summary>
    public int Capacity { get; init; } = 1 << 20;
}
