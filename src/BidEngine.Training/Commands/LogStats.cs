using BidEngine.Core.Events;

namespace BidEngine.Training.Commands;

/// <summary>What <c>log-stats</c> found in a folder (or file) of event records.</summary>
internal sealed class LogStats
{
    public int Files { get; set; }

    public long Bytes { get; set; }

    /// <summary>Records read, by kind: bid, nobid, win, bill, loss, click.</summary>
    public SortedDictionary<string, long> Records { get; } = new(StringComparer.Ordinal);

    /// <summary>Records the bidder dropped, by kind, as its drop records in the log say.</summary>
    public SortedDictionary<string, long> Dropped { get; } = new(StringComparer.Ordinal);

    /// <summary>Files whose last record was cut short (the bidder was killed, or is writing it now).</summary>
    public int TornTails { get; set; }

    public long TornBytes { get; set; }

    public long FirstUnixMs { get; set; } = long.MaxValue;

    public long LastUnixMs { get; set; } = long.MinValue;

    public long Count(string kind) => Records.GetValueOrDefault(kind);

    public static string Kind(EventRecord record) => record switch
    {
        BidEvent => "bid",
        NoBidEvent => "nobid",
        WinEvent => "win",
        ImpressionEvent => "bill",
        LossEvent => "loss",
        ClickEvent => "click",
        DroppedEvent => "dropped",
        _ => "other",
    };

    public static string Kind(EventRecordType type) => type switch
    {
        EventRecordType.Bid => "bid",
        EventRecordType.NoBid => "nobid",
        EventRecordType.Win => "win",
        EventRecordType.Bill => "bill",
        EventRecordType.Loss => "loss",
        _ => "click",
    };

    public static async Task<LogStats> ReadAsync(string path, Action<string>? warn = null, CancellationToken cancellationToken = default)
    {
        var stats = new LogStats();
        foreach (var file in EventLogFolder.Files(path))
        {
            stats.Files++;
            stats.Bytes += new FileInfo(file).Length;
            using var reader = EventStreamReader.Open(file, warn);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } record)
            {
                var kind = Kind(record);
                stats.Records[kind] = stats.Records.GetValueOrDefault(kind) + 1;
                if (record is DroppedEvent dropped)
                {
                    for (var t = 0; t < dropped.Counts.Length; t++)
                    {
                        if (dropped.Counts[t] != 0 && Enum.IsDefined((EventRecordType)t))
                        {
                            var name = Kind((EventRecordType)t);
                            stats.Dropped[name] = stats.Dropped.GetValueOrDefault(name) + dropped.Counts[t];
                        }
                    }
                }

                if (record.TimestampUnixMs != 0)
                {
                    stats.FirstUnixMs = Math.Min(stats.FirstUnixMs, record.TimestampUnixMs);
                    stats.LastUnixMs = Math.Max(stats.LastUnixMs, record.TimestampUnixMs);
                }
            }

            if (reader.TornTailBytes > 0)
            {
                stats.TornTails++;
                stats.TornBytes += reader.TornTailBytes;
            }
        }

        return stats;
    }
}
