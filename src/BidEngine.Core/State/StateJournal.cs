using System.Buffers;
using System.Buffers.Binary;
using MessagePack;

namespace BidEngine.Core.State;

/// <summary>
/// The embedded state's write-ahead journal: every change of money state, appended by the threads
/// that made it into memory (never waiting on the disk), written and fsynced by one background
/// thread as a batch every <see cref="FlushInterval"/>, or at once when a notice waits to be durable
/// (<see cref="WhenDurableAsync"/>: a group commit, one fsync for every notice waiting).
/// <para>
/// Files: <c>journal-{seq}.log</c> segments, each a run of frames <c>[length u32][crc32c u32][records]</c>,
/// records one MessagePack array each. A frame cut short by a crash, or whose checksum does not
/// match, ends the segment on recovery: only changes of the last unflushed interval are lost, and
/// the notice path answered none of those (it waits), so what is lost is reservations (the bids'
/// later bills still count: <c>SettledWithoutReservation</c>) and nothing that was billed.
/// A checkpoint (<see cref="Checkpoint"/>) starts a new segment, writes a snapshot of the whole
/// state beside it and deletes what the snapshot covers.
/// </para>
/// </summary>
public sealed class StateJournal : IStateJournal, IDisposable
{
    private const int InitialBatch = 16_384;

    private readonly string _folder;
    private readonly Lock _appendLock = new();
    private readonly Lock _fileLock = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly Thread _writer;
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);
    private StateRecord[] _pending;
    private StateRecord[] _writing;
    private int _pendingCount;
    private TaskCompletionSource _nextFlush = NewFlush();
    private volatile bool _stopping;
    private FileStream _segment;
    private long _flushes;
    private long _records;
    private long _bytes;
    private long _failures;

    /// <param name="folder">The state folder (locked by the caller).</param>
    /// <param name="sequence">The segment to append to (a new file; recovery read the older ones).</param>
    /// <param name="flushInterval">How often appended records reach the disk when no notice waits: the most a kill -9 can lose.</param>
    /// <param name="initialBatch">Records held between two flushes before the batch array doubles (72 B each; 16,384 by default).</param>
    public StateJournal(string folder, long sequence, TimeSpan flushInterval, int initialBatch = InitialBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initialBatch, 1);
        _pending = new StateRecord[initialBatch];
        _writing = new StateRecord[initialBatch];
        _folder = folder;
        FlushInterval = flushInterval;
        Sequence = sequence;
        _segment = OpenSegment(folder, sequence);
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "state journal" };
        _writer.Start();
    }

    public TimeSpan FlushInterval { get; }

    /// <summary>The segment being appended to.</summary>
    public long Sequence { get; private set; }

    public long Flushes => Interlocked.Read(ref _flushes);

    public long RecordsWritten => Interlocked.Read(ref _records);

    public long BytesWritten => Interlocked.Read(ref _bytes);

    /// <summary>Batches that could not be written (disk full, I/O error): each is retried at the next flush.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    public static string SegmentPath(string folder, long sequence) => Path.Combine(folder, $"journal-{sequence:D8}.log");

    public void Append(in StateRecord record)
    {
        lock (_appendLock)
        {
            if (_pendingCount == _pending.Length)
            {
                // Grows only past InitialBatch records per flush interval (16k/s at 1 s); kept afterwards.
                Array.Resize(ref _pending, _pending.Length * 2);
            }

            _pending[_pendingCount++] = record;
        }
    }

    /// <summary>
    /// Completes once everything appended before the call is on disk (fsynced). Asks the writer to
    /// flush now rather than at the interval: the notice path waits here before it answers, so a
    /// taken notice is never lost. One task per flush, shared by every waiter.
    /// </summary>
    public Task WhenDurableAsync()
    {
        Task task;
        lock (_appendLock)
        {
            task = _nextFlush.Task;
        }

        _wake.Set();
        return task;
    }

    /// <summary>
    /// Starts segment <c>Sequence + 1</c>, then lets <paramref name="writeSnapshot"/> write the state
    /// (taken after the switch, so it covers everything in older segments; records appended meanwhile
    /// may be in both, and replaying them again is harmless: see <c>EmbeddedState</c>), and once the
    /// snapshot is safely renamed into place deletes older segments and snapshots.
    /// </summary>
    public void Checkpoint(Action<string> writeSnapshot)
    {
        long sequence;
        lock (_fileLock)
        {
            FlushLocked();
            sequence = Sequence + 1;
            var next = OpenSegment(_folder, sequence);
            _segment.Dispose();
            _segment = next;
            Sequence = sequence;
        }

        var path = StateSnapshot.PathFor(_folder, sequence);
        var temporary = path + ".tmp";
        writeSnapshot(temporary);
        File.Move(temporary, path, overwrite: true);
        foreach (var file in Directory.EnumerateFiles(_folder))
        {
            if ((StateSnapshot.TryParse(file, out var s) && s < sequence) || (TryParseSegment(file, out var j) && j < sequence))
            {
                File.Delete(file);
            }
        }
    }

    public static bool TryParseSegment(string path, out long sequence)
    {
        var name = Path.GetFileName(path);
        sequence = 0;
        return name.StartsWith("journal-", StringComparison.Ordinal) && name.EndsWith(".log", StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(8, name.Length - 12), out sequence);
    }

    /// <summary>Writes what is pending and stops the writer (SIGTERM: nothing appended before this is lost).</summary>
    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _wake.Set();
        _writer.Join();
        lock (_fileLock)
        {
            FlushLocked();
            _segment.Dispose();
        }

        _wake.Dispose();
    }

    private void WriteLoop()
    {
        while (!_stopping)
        {
            _wake.WaitOne(FlushInterval);
            if (_stopping)
            {
                return;
            }

            lock (_fileLock)
            {
                FlushLocked();
            }
        }
    }

    private void FlushLocked()
    {
        int count;
        TaskCompletionSource done;
        lock (_appendLock)
        {
            (_pending, _writing) = (_writing, _pending);
            count = _pendingCount;
            _pendingCount = 0;
            done = _nextFlush;
            _nextFlush = NewFlush();
        }

        try
        {
            if (count > 0)
            {
                WriteFrame(_writing.AsSpan(0, count));
                Array.Clear(_writing, 0, count); // drops the campaign id references
                Interlocked.Add(ref _records, count);
            }

            Interlocked.Increment(ref _flushes);
            done.TrySetResult();
        }
        catch (IOException)
        {
            // Keep the batch: put it back in front of what came since, and fail the waiters (their
            // notices answer 503 and are retried) rather than say durable what is not.
            Interlocked.Increment(ref _failures);
            lock (_appendLock)
            {
                var merged = new StateRecord[Math.Max(_pending.Length, count + _pendingCount)];
                _writing.AsSpan(0, count).CopyTo(merged);
                _pending.AsSpan(0, _pendingCount).CopyTo(merged.AsSpan(count));
                _pending = merged;
                _pendingCount += count;
            }

            done.TrySetException(new IOException("The state journal could not be written."));
        }
    }

    private void WriteFrame(ReadOnlySpan<StateRecord> records)
    {
        _buffer.ResetWrittenCount();
        _buffer.Advance(8); // the frame header, filled in below
        var writer = new MessagePackWriter(_buffer);
        foreach (ref readonly var record in records)
        {
            StateRecordFormat.Write(ref writer, record);
        }

        writer.Flush();
        var frame = System.Runtime.InteropServices.MemoryMarshal.AsMemory(_buffer.WrittenMemory).Span;
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)(frame.Length - 8));
        BinaryPrimitives.WriteUInt32LittleEndian(frame[4..], Crc.Of(frame[8..]));
        _segment.Write(frame);
        _segment.Flush(flushToDisk: true);
        Interlocked.Add(ref _bytes, frame.Length);
    }

    private static FileStream OpenSegment(string folder, long sequence) =>
        new(SegmentPath(folder, sequence), FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16);

    private static TaskCompletionSource NewFlush() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
