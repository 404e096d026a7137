using System.Buffers;
using System.Runtime.InteropServices;

namespace BidEngine.Server.Http;

/// <summary>
/// One zlib deflate state with the gzip wrapper, kept for many answers: each answer resets it
/// (<c>deflateReset</c> keeps the allocated window and tables) and compresses in a single call,
/// straight into the response pipe. A new GZipStream per answer allocated its managed wrapper and
/// a fresh native state (about 270 KiB at zlib's default window) every time.
/// </summary>
internal sealed unsafe class GzipEncoder : IDisposable
{
    /// <summary>Level 1, as CompressionLevel.Fastest: answers are a few hundred bytes to a few KiB.</summary>
    private const int Level = 1;

    /// <summary>
    /// 2^13 = 8 KiB window, +16 for the gzip header and trailer: an answer up to 8 KiB can refer
    /// back to any of its own bytes, and the state needs (1 &lt;&lt; 15) + (1 &lt;&lt; 15) = 64 KiB
    /// (zlib's formula with memLevel 6) instead of 256 KiB at the defaults.
    /// </summary>
    private const int WindowBits = 13 + 16;
    private const int MemLevel = 6;

    /// <summary>An answer bigger than this is not kept in <see cref="Input"/>'s buffer after it is sent.</summary>
    private const int MaxKeptInput = 64 * 1024;

    private byte* _stream;
    private bool _used;
    private ArrayBufferWriter<byte> _input = new(4096);

    private GzipEncoder(byte* stream) => _stream = stream;

    /// <summary>A new encoder, or null when zlib is not available here or refused to start.</summary>
    public static GzipEncoder? TryCreate()
    {
        if (!ZLib.IsAvailable)
        {
            return null;
        }

        // The state points back at its z_stream, so the struct lives in native memory that never moves.
        var stream = (byte*)NativeMemory.AllocZeroed(ZLib.StreamSize);
        if (ZLib.DeflateInit2(stream, Level, ZLib.Deflated, WindowBits, MemLevel, 0, ZLib.Version(), ZLib.StreamSize) != ZLib.Ok)
        {
            NativeMemory.Free(stream);
            return null;
        }

        return new GzipEncoder(stream);
    }

    /// <summary>Where the caller writes the plain answer before <see cref="CompressInput"/>; empty after a rent.</summary>
    public ArrayBufferWriter<byte> Input => _input;

    /// <summary>Compresses what was written to <see cref="Input"/> into <paramref name="output"/> and empties it.</summary>
    public int CompressInput(IBufferWriter<byte> output)
    {
        try
        {
            return Compress(_input.WrittenSpan, output);
        }
        finally
        {
            ClearInput();
        }
    }

    /// <summary>Empties <see cref="Input"/>; drops its buffer when one huge answer grew it past 64 KiB.</summary>
    public void ClearInput()
    {
        if (_input.Capacity > MaxKeptInput)
        {
            _input = new ArrayBufferWriter<byte>(4096);
        }
        else
        {
            _input.ResetWrittenCount();
        }
    }

    /// <summary>
    /// Writes <paramref name="input"/> as one complete gzip member into <paramref name="output"/>
    /// and returns the compressed length. Asks the writer once for zlib's worst-case size, so the
    /// single deflate call always finishes.
    /// </summary>
    public int Compress(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        ObjectDisposedException.ThrowIf(_stream == null, this);
        if (_used && ZLib.DeflateReset(_stream) != ZLib.Ok)
        {
            ThrowZLibFailed("deflateReset");
        }

        _used = true;
        var bound = (int)ZLib.DeflateBound(_stream, (nuint)input.Length);
        var span = output.GetSpan(bound);
        fixed (byte* inPtr = input)
        fixed (byte* outPtr = span)
        {
            *(byte**)(_stream + ZLib.NextIn) = inPtr;
            *(uint*)(_stream + ZLib.AvailIn) = (uint)input.Length;
            *(byte**)(_stream + ZLib.NextOut) = outPtr;
            *(uint*)(_stream + ZLib.AvailOut) = (uint)span.Length;
            var result = ZLib.Deflate(_stream, ZLib.Finish);

            // Nothing of the caller's buffers stays behind in the native state.
            *(byte**)(_stream + ZLib.NextIn) = null;
            *(byte**)(_stream + ZLib.NextOut) = null;
            if (result != ZLib.StreamEnd)
            {
                ThrowZLibFailed("deflate");
            }
        }

        var written = (int)*(ulong*)(_stream + ZLib.TotalOut);
        output.Advance(written);
        return written;
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    ~GzipEncoder() => Free();

    private void Free()
    {
        if (_stream != null)
        {
            _ = ZLib.DeflateEnd(_stream);
            NativeMemory.Free(_stream);
            _stream = null;
        }
    }

    [System.Diagnostics.StackTraceHidden]
    private static void ThrowZLibFailed(string call) => throw new InvalidOperationException($"zlib {call} failed");
}
