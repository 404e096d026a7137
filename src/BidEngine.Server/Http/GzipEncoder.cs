using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace BidEngine.Server.Http;

/// <summary>
/// One long-lived raw deflate state that writes many gzip answers. Each answer is the gzip header,
/// the deflate blocks of its bytes ended by a full flush (which also forgets everything before, so
/// no answer refers back to another's bytes), an empty final block, and the CRC-32 and length.
/// A GZipStream per answer allocated its managed wrapper and a fresh native state (its init zeroes
/// the hash table: a third of the call's time) each time; this allocates nothing per answer.
/// </summary>
internal sealed unsafe class GzipEncoder : IDisposable
{
    /// <summary>Level 1, as CompressionLevel.Fastest: answers are a few hundred bytes to a few KiB.</summary>
    private const int Level = 1;

    /// <summary>Raw deflate (negative: no zlib wrapper; the gzip frame is written here) with a 4 KiB window.</summary>
    private const int WindowBits = -12;
    private const int MemLevel = 8;

    /// <summary>An answer bigger than this is not kept in <see cref="Input"/>'s buffer after it is sent.</summary>
    private const int MaxKeptInput = 64 * 1024;

    /// <summary>Magic, deflate, no flags, no time, no extra flags, OS unknown (RFC 1952).</summary>
    private static ReadOnlySpan<byte> Header => [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

    /// <summary>BFINAL=1, BTYPE=01 (fixed Huffman), end-of-block: after a full flush the stream is byte-aligned.</summary>
    private static ReadOnlySpan<byte> FinalEmptyBlock => [0x03, 0x00];

    private byte* _stream;
    private bool _broken;
    private ArrayBufferWriter<byte> _input = new(4096);

    private GzipEncoder(byte* stream) => _stream = stream;

    /// <summary>Where the caller writes the plain answer before <see cref="CompressInput"/>; empty after a rent.</summary>
    public ArrayBufferWriter<byte> Input => _input;

    /// <summary>True after a failed call: the state may hold half an answer, so the pool frees it.</summary>
    public bool IsBroken => _broken;

    /// <summary>A new encoder, or null when the runtime's deflate cannot be bound here or refused to start.</summary>
    public static GzipEncoder? TryCreate()
    {
        if (!ZLib.IsBound)
        {
            return null;
        }

        // The native state keeps a pointer to its stream struct: it lives in memory that never moves.
        var stream = (byte*)NativeMemory.AllocZeroed((nuint)ZLib.StreamSize);
        if (ZLib.DeflateInit2(stream, Level, ZLib.Deflated, WindowBits, MemLevel, 0) != ZLib.Ok)
        {
            NativeMemory.Free(stream);
            return null;
        }

        return new GzipEncoder(stream);
    }

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

    /// <summary>Writes <paramref name="input"/> as one complete gzip member into <paramref name="output"/>; returns its length.</summary>
    public int Compress(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        ObjectDisposedException.ThrowIf(_stream == null, this);
        var header = output.GetSpan(Header.Length);
        Header.CopyTo(header);
        output.Advance(Header.Length);
        var written = Header.Length;

        fixed (byte* inPtr = input)
        {
            *(byte**)(_stream + ZLib.NextIn) = inPtr;
            *(uint*)(_stream + ZLib.AvailIn) = (uint)input.Length;
            try
            {
                // Level 1 writes literals of up to 9 bits: an eighth more than the input, plus block
                // headers and the flush marker. When that is not enough, deflate is called again
                // with more room, as zlib asks.
                var room = input.Length + (input.Length >> 3) + 64;
                while (true)
                {
                    var span = output.GetSpan(room);
                    fixed (byte* outPtr = span)
                    {
                        *(byte**)(_stream + ZLib.NextOut) = outPtr;
                        *(uint*)(_stream + ZLib.AvailOut) = (uint)span.Length;
                        if (ZLib.Deflate(_stream, ZLib.FullFlush) != ZLib.Ok)
                        {
                            ThrowZLibFailed();
                        }

                        var left = *(uint*)(_stream + ZLib.AvailOut);
                        var produced = span.Length - (int)left;
                        output.Advance(produced);
                        written += produced;
                        if (left != 0)
                        {
                            break;
                        }
                    }
                }
            }
            finally
            {
                // Nothing of the caller's buffers stays behind in the native state.
                *(byte**)(_stream + ZLib.NextIn) = null;
                *(byte**)(_stream + ZLib.NextOut) = null;
                *(uint*)(_stream + ZLib.AvailIn) = 0;
                *(uint*)(_stream + ZLib.AvailOut) = 0;
            }

            var trailer = output.GetSpan(10);
            FinalEmptyBlock.CopyTo(trailer);
            BinaryPrimitives.WriteUInt32LittleEndian(trailer[2..], ZLib.Crc32(0, inPtr, input.Length));
            BinaryPrimitives.WriteUInt32LittleEndian(trailer[6..], (uint)input.Length);
            output.Advance(10);
            return written + 10;
        }
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
    private void ThrowZLibFailed()
    {
        _broken = true;
        throw new InvalidOperationException("deflate failed");
    }
}
