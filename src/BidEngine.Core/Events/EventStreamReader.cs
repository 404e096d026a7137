using System.Runtime.CompilerServices;
using MessagePack;

namespace BidEngine.Core.Events;

/// <summary>
/// Reads the <see cref="EventRecord"/>s an <see cref="EventStreamWriter"/> wrote, in order.
/// A truncated last record (a log cut by a crash) ends the stream rather than failing it.
/// </summary>
public sealed class EventStreamReader : IDisposable
{
    private readonly MessagePackStreamReader _reader;
    private readonly Stream _stream;
    private readonly bool _leaveOpen;

    public EventStreamReader(Stream stream, bool leaveOpen = false)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _reader = new MessagePackStreamReader(stream, leaveOpen: true);
    }

    /// <summary>Opens a file for sequential reading with a 1 MiB buffer.</summary>
    public static EventStreamReader Open(string path) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan));

    /// <summary>The next record, or null at the end of the stream.</summary>
    public async ValueTask<EventRecord?> ReadAsync(CancellationToken cancellationToken = default)
    {
        var bytes = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return bytes is { } sequence ? MessagePackSerializer.Deserialize<EventRecord>(sequence, EventSerializer.Options, cancellationToken) : null;
    }

    public async IAsyncEnumerable<EventRecord> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await ReadAsync(cancellationToken).ConfigureAwait(false) is { } record)
        {
            yield return record;
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }
}
