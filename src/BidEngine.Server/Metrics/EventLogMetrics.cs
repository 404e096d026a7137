using BidEngine.Core.Events;
using Prometheus;

namespace BidEngine.Server.Metrics;

/// <summary>
/// The bid log at <c>/metrics</c>: records written and dropped by type, bytes, files and the queue.
/// Read from the log's own counters at scrape time, so the request path counts only once.
/// </summary>
internal sealed class EventLogMetrics
{
    private readonly EventLog _log;
    private readonly (EventRecordType Type, Counter.Child Written, Counter.Child Dropped)[] _types;
    private readonly Counter _bytes;
    private readonly Counter _files;
    private readonly Gauge _queued;

    public EventLogMetrics(CollectorRegistry registry, EventLog log)
    {
        _log = log;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var written = factory.CreateCounter("bidengine_event_log_records_total", "Event log records written to file, by type.", "type");
        var dropped = factory.CreateCounter(
            "bidengine_event_log_dropped_total",
            "Event log records lost, by type: the queue was full (the writer fell behind), the record was over 64 KiB, the log was stopping, or the write failed.",
            "type");
        _types = Enum.GetValues<EventRecordType>()
            .Select(t => (t, written.WithLabels(Label(t)), dropped.WithLabels(Label(t))))
            .ToArray();
        _bytes = factory.CreateCounter("bidengine_event_log_bytes_total", "Bytes of event log records written.");
        _files = factory.CreateCounter("bidengine_event_log_files_total", "Event log files begun.");
        _queued = factory.CreateGauge("bidengine_event_log_queued", "Records waiting for the event log's writer.");
        registry.AddBeforeCollectCallback(Update);
    }

    private static string Label(EventRecordType type) => type switch
    {
        EventRecordType.Bid => "bid",
        EventRecordType.NoBid => "nobid",
        EventRecordType.Win => "win",
        EventRecordType.Bill => "bill",
        EventRecordType.Loss => "loss",
        _ => "click",
    };

    private void Update()
    {
        foreach (var (type, written, dropped) in _types)
        {
            written.IncTo(_log.Written(type));
            dropped.IncTo(_log.Dropped(type));
        }

        _bytes.IncTo(_log.BytesWritten);
        _files.IncTo(_log.FilesOpened);
        _queued.Set(_log.Queued);
    }
}
