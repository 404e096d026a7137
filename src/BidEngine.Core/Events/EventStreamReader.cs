using System.Runtime.CompilerServices;
using MessagePack;

namespace BidEngine.Core.Events;

/// <summary>
/// Reads the <see cref="EventRecord"/>s an <see cref="EventStreamWriter"/> wrote, in order.
/// A truncated last record (a log cut by a crash or still being written) ends the stream rather
/// than failing it: its bytes are reported in <see cref="TornTailBytes"/> and to the warning callback.
/// Any proper prefix of a MessagePack value is incomplete, so a cut anywhere in the last record is seen.
/// </summary>
public sealed class EventStreamReader : IDisposable
{
    private readonly MessagePackStreamReader _reader;
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly Action<string>? _warn;
    private readonly string _name;

    /// <param name="warn">Told once if the stream ends inside a record.</param>
    /// <param name="name">The stream's name in that warning (a file path).</param>
    public EventStreamReader(Stream stream, bool leaveOpen = false, Action<string>? warn = null, string? name = null)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _warn = warn;
        _name = name ?? "event stream";
        _reader = new MessagePackStreamReader(stream, leaveOpen: true);
    }

    /// <summary>Opens a file for sequential reading with a 1 MiB buffer.</summary>
    /// <remarks>Shares the file with a writer that still has it open: the bidder's current log file can be read.</remarks>
    public static EventStreamReader Open(string path, Action<string>? warn = null) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 20, FileOptions.SequentialScan), warn: warn, name: path);

    /// <summary>Bytes after the last whole record: a record cut short. 0 until the end is reached.</summary>
    public long TornTailBytes { get; private set; }

    /// <summary>The next record, or null at the end of the stream.</summary>
    public async ValueTask<EventRecord?> ReadAsync(CancellationToken cancellationToken = default)
    {
        var bytes = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (bytes is { } sequence)
        {
            return MessagePackSerializer.Deserialize<EventRecord>(sequence, EventSerializer.Options, cancellationToken);
        }

        var tail = _reader.RemainingBytes.Length;
        if (tail > 0 && TornTailBytes == 0)
        {
            TornTailBytes = tail;
            _warn?.Invoke($"{_name}: the last record is cut short ({tail} bytes skipped); the writer was killed or is still writing");
        }

        return null;
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
