using System.Buffers;

namespace BidEngine.Server.Http;

/// <summary>
/// A few <see cref="GzipEncoder"/>s shared by the whole process. An encoder is held only while one
/// answer is written and compressed (synchronously), so about as many are in use at once as threads
/// run answers: the pool keeps two per core (a raw deflate state of about 200 KiB each, so under
/// 1 MiB on 2 cores). Past that, a burst creates encoders that are freed when handed back to a full
/// pool; nothing grows without bound.
/// </summary>
internal sealed class GzipEncoderPool
{
    private readonly GzipEncoder?[] _slots;

    public GzipEncoderPool(int capacity) => _slots = new GzipEncoder?[capacity];

    public static GzipEncoderPool Shared { get; } = new(Environment.ProcessorCount * 2);

    /// <summary>
    /// False where the runtime's deflate cannot be bound, or where a sample answer did not come back
    /// intact through GZipStream: answers then go through a GZipStream each.
    /// </summary>
    public static bool IsAvailable { get; } = ProveRoundTrip();

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

        return IsAvailable ? GzipEncoder.TryCreate() : null;
    }

    public void Return(GzipEncoder encoder)
    {
        if (encoder.IsBroken)
        {
            encoder.Dispose();
            return;
        }

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

    private static bool ProveRoundTrip()
    {
        try
        {
            using var encoder = GzipEncoder.TryCreate();
            if (encoder is null)
            {
                return false;
            }

            var sample = "{\"id\":\"self-test\",\"seatbid\":[{\"bid\":[{\"id\":\"1\",\"impid\":\"1\",\"price\":1.5}]}],\"cur\":\"USD\"}"u8.ToArray();
            var output = new ArrayBufferWriter<byte>(256);
            for (var i = 0; i < 2; i++)
            {
                output.ResetWrittenCount();
                encoder.Compress(sample, output);
                using var compressed = new MemoryStream(output.WrittenSpan.ToArray());
                using var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionMode.Decompress);
                using var back = new MemoryStream();
                gzip.CopyTo(back);
                if (!back.GetBuffer().AsSpan(0, (int)back.Length).SequenceEqual(sample))
                {
                    return false;
                }
            }

            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException)
        {
            return false;
        }
    }
}
