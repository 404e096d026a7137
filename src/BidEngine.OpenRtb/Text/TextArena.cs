using System.Buffers;
using System.Text;

namespace BidEngine.OpenRtb.Text;

/// <summary>
/// Holds the unescaped UTF-8 text of one request's string fields, back to back, in one pooled
/// array that is kept across requests. A typical request needs under 2 KiB; the array grows by
/// doubling and is only given back to the pool when it grew past <see cref="RetainLimit"/>, so
/// that one huge request does not pin a huge buffer for ever.
/// </summary>
public sealed class TextArena
{
    private const int InitialSize = 4096;
    private const int RetainLimit = 256 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int _used;

    public int Used => _used;

    public ReadOnlySpan<byte> this[Utf8Slice slice] =>
        slice.HasValue ? _buffer.AsSpan(slice.Start, slice.Length) : default;

    /// <summary>Reserves room for up to <paramref name="maxLength"/> bytes; commit with <see cref="Commit"/>.</summary>
    public Span<byte> Reserve(int maxLength)
    {
        if (_buffer.Length - _used < maxLength)
        {
            Grow(maxLength);
        }

        return _buffer.AsSpan(_used, maxLength);
    }

    public Utf8Slice Commit(int length)
    {
        var slice = new Utf8Slice(_used, length);
        _used += length;
        return slice;
    }

    public Utf8Slice Append(ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(Reserve(utf8.Length));
        return Commit(utf8.Length);
    }

    /// <summary>Allocates a string: for tests, logs and slow paths only.</summary>
    public string? GetString(Utf8Slice slice) => slice.HasValue ? Encoding.UTF8.GetString(this[slice]) : null;

    public void Reset()
    {
        _used = 0;
        if (_buffer.Length > RetainLimit)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
        }
    }

    private void Grow(int needed)
    {
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _used + needed));
        _buffer.AsSpan(0, _used).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = next;
    }
}
