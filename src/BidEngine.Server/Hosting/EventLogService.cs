using BidEngine.Core.Events;

namespace BidEngine.Server.Hosting;

/// <summary>
/// Owns the bid log's writer thread: starts it with the host, and on the way down (after Kestrel
/// has finished its requests: hosted services stop in reverse order, the server first) writes
/// every queued record and closes the file.
/// </summary>
internal sealed class EventLogService(EventLog log, ILogger<EventLogService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (log.Enabled)
        {
            log.Start();
            logger.LogInformation("Event log on: up to {Capacity} queued records", log.Capacity);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!log.Enabled)
        {
            return;
        }

        await log.StopAsync(cancellationToken);
        logger.LogInformation(
            "Event log closed: {Bids} bids, {Bills} bills, {Clicks} clicks written ({Bytes} bytes); {Dropped} records dropped",
            log.Written(EventRecordType.Bid), log.Written(EventRecordType.Bill), log.Written(EventRecordType.Click), log.BytesWritten,
            Enum.GetValues<EventRecordType>().Sum(log.Dropped));
    }
}
