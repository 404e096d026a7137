using MessagePack;

namespace BidEngine.Core.Events;

/// <summary>
/// Appends <see cref="EventRecord"/>s to a stream, one MessagePack value after another (union
/// tag + record, no extra framing): <see cref="EventStreamReader"/> reads them back with
/// <see cref="MessagePackStreamReader"/>. Not thread-safe; one writer per stream.
/// </summary>
public sealed class EventStreamWriter : IDisposable, IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;

    public EventStreamWriter(Stream stream, bool leaveOpen = false)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Opens (creating or truncating) a file with a 1 MiB write buffer.</summary>
    public static EventStreamWriter Create(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        return new EventStreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20));
    }

    public long Count { get; private set; }

    public void Write(EventRecord record)
    {
        MessagePackSerializer.Serialize(_stream, record, EventSerializer.Options);
        Count++;
    }

    public async ValueTask WriteAsync(EventRecord record, CancellationToken cancellationToken = default)
    {
        await MessagePackSerializer.SerializeAsync(_stream, record, EventSerializer.Options, cancellationToken).ConfigureAwait(false);
        Count++;
    }

    public void Flush() => _stream.Flush();

    public void Dispose()
    {
        _stream.Flush();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.FlushAsync().ConfigureAwait(false);
        if (!_leaveOpen)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
