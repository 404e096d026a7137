using System.Buffers;

namespace BidEngine.Core.Events;

/// <summary>
/// One preallocated place for an encoded record between the request thread and the writer: the
/// bytes and the record's type. Its buffer starts at <see cref="InitialBytes"/> (a bid record is
/// about 250 B) and grows for a larger record, once; a record past <see cref="MaxRecordBytes"/> is
/// dropped and the buffer shrunk back, so the worst case a slot keeps is 64 KiB.
/// </summary>
internal sealed class RecordSlot : IBufferWriter<byte>
{
    public const int InitialBytes = 512;

    public const int MaxRecordBytes = 64 << 10;

    private byte[] _buffer = [];
    private int _written;

    public EventRecordType Type { get; set; }

    /// <summary>Its number in the log's ring.</summary>
    public int Index { get; set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _written);

    public int Length => _written;

    public void Clear() => _written = 0;

    /// <summary>After a record that was too large: back to the usual size.</summary>
    public void Shrink()
    {
        _buffer = new byte[InitialBytes];
        _written = 0;
    }

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Ensure(int sizeHint)
    {
        var need = _written + Math.Max(sizeHint, 1);
        if (need <= _buffer.Length)
        {
            return;
        }

        var grown = new byte[Math.Max(need, Math.Max(InitialBytes, _buffer.Length * 2))];
        _buffer.AsSpan(0, _written).CopyTo(grown);
        _buffer = grown;
    }
}
