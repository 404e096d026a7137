using System.Buffers;
using System.IO.Compression;

namespace BidEngine.Server.Http;

/// <summary>Decompresses a gzip request body into a pooled buffer, refusing to grow past a cap.</summary>
internal static class GzipBody
{
    /// <summary>The decompressed length, or -1 when the output passes <paramref name="maxBytes"/>; throws InvalidDataException on corrupt data.</summary>
    public static int Decompress(ReadOnlySequence<byte> compressed, int maxBytes, out byte[] buffer)
    {
        // The compressed body is copied once into a pooled array: GZipStream reads from a Stream.
        var input = ArrayPool<byte>.Shared.Rent((int)compressed.Length);
        buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes, Math.Max(4096, (int)compressed.Length * 4)));
        try
        {
            compressed.CopyTo(input);
            using var source = new MemoryStream(input, 0, (int)compressed.Length, writable: false);
            using var gzip = new GZipStream(source, CompressionMode.Decompress);
            var length = 0;
            Span<byte> probe = stackalloc byte[1];
            while (true)
            {
                // Pooled arrays can be larger than asked for: the cap, not the array, bounds the output.
                var room = Math.Min(buffer.Length, maxBytes) - length;
                if (room == 0)
                {
                    if (length >= maxBytes)
                    {
                        // Full to the cap: one more byte means the body is too large.
                        return gzip.Read(probe) == 0 ? length : -1;
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes, buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                    continue;
                }

                var read = gzip.Read(buffer, length, room);
                if (read == 0)
                {
                    return length;
                }

                length += read;
            }
        }
        catch
        {
            // Corrupt data: the caller never sees this buffer, so it goes back to the pool here.
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = [];
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
        }
    }
}
