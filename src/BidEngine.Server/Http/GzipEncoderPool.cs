using System.Buffers;

namespace BidEngine.Server.Http;

/// <summary>
/// A few <see cref="GzipEncoder"/>s shared by the whole process. An encoder is held only for one
/// synchronous compress call, so about as many are in use at once as threads run answers: the
/// pool keeps two per core (64 KiB of zlib state each, so 256 KiB on 2 cores). Past that, a burst
/// creates encoders that are freed when handed back to a full pool; nothing grows without bound.
/// </summary>
internal sealed class GzipEncoderPool
{
    private readonly GzipEncoder?[] _slots;

    public GzipEncoderPool(int capacity) => _slots = new GzipEncoder?[capacity];

    public static GzipEncoderPool Shared { get; } = new(Environment.ProcessorCount * 2);

    /// <summary>False where the system zlib cannot be used: answers then go through a GZipStream each.</summary>
    public static bool IsAvailable => ZLib.IsAvailable;

    /// <summary>
    /// Compresses <paramref name="input"/> as one gzip member into <paramref name="output"/>; false
    /// (nothing written) when no encoder can be had here.
    /// </summary>
    public bool TryCompress(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        var encoder = Rent();
        if (encoder is null)
        {
            return false;
        }

        try
        {
            encoder.Compress(input, output);
            return true;
        }
        finally
        {
            Return(encoder);
        }
    }

    /// <summary>An encoder with an empty <see cref="GzipEncoder.Input"/>, or null where zlib cannot be used; hand it back with <see cref="Return"/>.</summary>
    public GzipEncoder? Rent()
    {
        var slots = _slots;
        for (var i = 0; i < slots.Length; i++)
        {
            var encoder = Interlocked.Exchange(ref slots[i], null);
            if (encoder is not null)
            {
                return encoder;
            }
        }

        return GzipEncoder.TryCreate();
    }

    public void Return(GzipEncoder encoder)
    {
        encoder.ClearInput();
        var slots = _slots;
        for (var i = 0; i < slots.Length; i++)
        {
            if (Interlocked.CompareExchange(ref slots[i], encoder, null) is null)
            {
                return;
            }
        }

        encoder.Dispose();
    }
}
