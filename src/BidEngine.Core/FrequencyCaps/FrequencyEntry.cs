namespace BidEngine.Core.FrequencyCaps;

/// <summary>
/// One user × campaign in the table: 24 B. <see cref="Counts"/> holds eight one-byte buckets as a
/// ring indexed by bucket epoch mod 8; <see cref="Epoch"/> is the newest bucket written;
/// <see cref="ExpiresAt"/> (seconds) is when every bucket has left the window, so the slot is free.
/// </summary>
internal struct FrequencyEntry
{
    public ulong Key;
    public ulong Counts;
    public uint Epoch;
    public uint ExpiresAt;
}
