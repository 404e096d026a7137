using System.Buffers;
using System.IO.Compression;
using BidEngine.Server.Http;
using CsCheck;

namespace BidEngine.Server.Tests;

/// <summary>The pooled gzip encoder: every output is a whole gzip member of its own input, and reuse allocates nothing.</summary>
public sealed class GzipEncoderTests
{
    [Fact]
    public void BindsTheRuntimesDeflateOnLinux()
    {
        // Elsewhere answers may fall back to a GZipStream each; on Linux that fallback would hide a broken binding.
        Assert.True(GzipEncoderPool.IsAvailable || !OperatingSystem.IsLinux());
    }

    [Fact]
    public void EachOutputDecompressesToItsOwnInputWhenOneEncoderServesMany()
    {
        using var encoder = GzipEncoder.TryCreate();
        Assert.NotNull(encoder);
        var output = new ArrayBufferWriter<byte>();

        // One thread: an encoder serves one answer at a time. Sizes around the 8 KiB window and the 64 KiB kept-buffer limit; repetitive and random bytes.
        Gen.Select(Gen.Int[0, 150_000], Gen.Bool, Gen.Int).Sample((size, repetitive, seed) =>
        {
            var input = new byte[size];
            var random = new Random(seed);
            if (repetitive)
            {
                for (var i = 0; i < size; i++)
                {
                    input[i] = (byte)"{\"seatbid\":[{\"bid\":[{\"price\":1.5}]}]}"[i % 37];
                }
            }
            else
            {
                random.NextBytes(input);
            }

            output.ResetWrittenCount();
            var written = encoder.Compress(input, output);

            Assert.Equal(written, output.WrittenCount);
            Assert.Equal(input, Gunzip(output.WrittenSpan.ToArray()));
        }, iter: 200, threads: 1);
    }

    [Fact]
    public void CompressesWhatWasWrittenToItsInputAndEmptiesIt()
    {
        var pool = new GzipEncoderPool(1);
        var encoder = pool.Rent();
        Assert.NotNull(encoder);
        var output = new ArrayBufferWriter<byte>();
        "{\"id\":\"a\"}"u8.CopyTo(encoder.Input.GetSpan(16));
        encoder.Input.Advance(10);

        encoder.CompressInput(output);

        Assert.Equal(0, encoder.Input.WrittenCount);
        Assert.Equal("{\"id\":\"a\"}"u8.ToArray(), Gunzip(output.WrittenSpan.ToArray()));
        pool.Return(encoder);
        Assert.Same(encoder, pool.Rent());
    }

    [Fact]
    public void CompressingAnAnswerAllocatesNothingOnceWarm()
    {
        var pool = new GzipEncoderPool(2);
        var answer = System.Text.Encoding.UTF8.GetBytes(new string('x', 200) + "{\"id\":\"be-1\",\"seatbid\":[{\"bid\":[{\"id\":\"1\",\"impid\":\"1\",\"price\":8}]}]}");
        var output = new ArrayBufferWriter<byte>(4096);
        CompressOnce(pool, answer, output);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            output.ResetWrittenCount();
            CompressOnce(pool, answer, output);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(answer, Gunzip(output.WrittenSpan.ToArray()));
    }

    [Fact]
    public void AFullPoolFreesWhatIsHandedBackBeyondItsCapacity()
    {
        var pool = new GzipEncoderPool(1);
        var first = pool.Rent()!;
        var second = pool.Rent()!;
        pool.Return(first);
        pool.Return(second);

        Assert.Same(first, pool.Rent());
        Assert.Throws<ObjectDisposedException>(() => second.Compress([1, 2, 3], new ArrayBufferWriter<byte>()));
    }

    private static void CompressOnce(GzipEncoderPool pool, byte[] answer, ArrayBufferWriter<byte> output)
    {
        var encoder = pool.Rent()!;
        try
        {
            answer.CopyTo(encoder.Input.GetSpan(answer.Length));
            encoder.Input.Advance(answer.Length);
            encoder.CompressInput(output);
        }
        finally
        {
            pool.Return(encoder);
        }
    }

    private static byte[] Gunzip(byte[] compressed)
    {
        using var input = new MemoryStream(compressed);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
