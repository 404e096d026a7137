using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using BidEngine.LoadTests.Corpus;

namespace BidEngine.LoadTests.Http;

/// <summary>
/// A minimal HTTP/1.1 keep-alive client over one socket: writes the pre-built request bytes and reads
/// the status line, the few headers it needs and the body (Content-Length or chunked), without
/// allocating per request. About a third of HttpClient's CPU per request on this machine (see README),
/// which matters when the generator shares 2 cores with the bidder.
/// </summary>
public sealed class RawHttpConnection(EndPoint endPoint) : IRequestSender
{
    // 16 KiB holds any head this bidder sends; larger bodies are streamed through it.
    private readonly byte[] _buffer = new byte[16 * 1024];
    private Socket? _socket;
    private int _start;
    private int _end;

    public async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        Close();
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
        _start = _end = 0;
    }

    public async ValueTask<ResponseInfo> SendAsync(PreparedRequest request, CancellationToken cancellationToken)
    {
        try
        {
            if (_socket is null)
            {
                await ConnectAsync(cancellationToken);
            }

            var wire = request.Wire.AsMemory();
            while (!wire.IsEmpty)
            {
                var sent = await _socket!.SendAsync(wire, SocketFlags.None, cancellationToken);
                wire = wire[sent..];
            }

            var info = await ReadResponseAsync(cancellationToken);
            return info;
        }
        catch
        {
            Close(); // the connection is in an unknown state: the next request reconnects
            throw;
        }
    }

    private async ValueTask<ResponseInfo> ReadResponseAsync(CancellationToken ct)
    {
        int headEnd;
        while ((headEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            await ReadMoreAsync(ct);
        }

        var (status, contentLength, chunked, close, path) = ParseHead(_buffer.AsSpan(_start, headEnd));
        _start += headEnd + 4;

        if (status is (>= 100 and < 200) or 204 or 304)
        {
            // no body
        }
        else if (chunked)
        {
            await SkipChunkedAsync(ct);
        }
        else if (contentLength >= 0)
        {
            await SkipAsync(contentLength, ct);
        }
        else
        {
            // No length: the body runs to the end of the connection.
            close = true;
            try
            {
                while (true)
                {
                    _start = _end = 0;
                    await ReadMoreAsync(ct);
                }
            }
            catch (BadResponseException)
            {
            }
        }

        if (close)
        {
            Close();
        }

        return new ResponseInfo(status, path);
    }

    internal static (int Status, long ContentLength, bool Chunked, bool Close, PathTag Path) ParseHead(ReadOnlySpan<byte> head)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var statusLine = lineEnd < 0 ? head : head[..lineEnd];
        // "HTTP/1.1 204 No Content"
        if (statusLine.Length < 12 || !statusLine.StartsWith("HTTP/1."u8)
            || !Utf8Parser.TryParse(statusLine.Slice(9, 3), out int status, out _))
        {
            throw new BadResponseException($"Bad status line: {Encoding.ASCII.GetString(statusLine)}");
        }

        long contentLength = -1;
        bool chunked = false, close = statusLine[7] == (byte)'0';
        var path = PathTag.Absent;
        var rest = lineEnd < 0 ? [] : head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..];
            value = value[System.Text.Ascii.Trim(value)];
            if (System.Text.Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                if (!Utf8Parser.TryParse(value, out contentLength, out _))
                {
                    throw new BadResponseException("Bad Content-Length.");
                }
            }
            else if (System.Text.Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
            {
                chunked = value.Length >= 7 && System.Text.Ascii.EqualsIgnoreCase(value[^7..], "chunked"u8);
            }
            else if (System.Text.Ascii.EqualsIgnoreCase(name, "connection"u8))
            {
                close = System.Text.Ascii.EqualsIgnoreCase(value, "close"u8);
            }
            else if (System.Text.Ascii.EqualsIgnoreCase(name, "x-bidengine-path"u8))
            {
                path = PathTags.Parse(value);
            }
        }

        return (status, contentLength, chunked, close, path);
    }

    private async ValueTask SkipChunkedAsync(CancellationToken ct)
    {
        while (true)
        {
            var line = await ReadLineAsync(ct);
            var semi = _buffer.AsSpan(line.Start, line.Length).IndexOf((byte)';');
            var hex = _buffer.AsSpan(line.Start, semi < 0 ? line.Length : semi);
            if (!long.TryParse(hex[System.Text.Ascii.Trim(hex)], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                throw new BadResponseException("Bad chunk size.");
            }

            if (size == 0)
            {
                // Trailers, up to the empty line.
                while ((await ReadLineAsync(ct)).Length > 0)
                {
                }

                return;
            }

            await SkipAsync(size + 2, ct); // data and its CRLF
        }
    }

    /// <summary>Consumes one CRLF-terminated line and returns where it was in the buffer (valid until the next read).</summary>
    private async ValueTask<(int Start, int Length)> ReadLineAsync(CancellationToken ct)
    {
        int idx;
        while ((idx = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
        {
            await ReadMoreAsync(ct);
        }

        var start = _start;
        _start += idx + 2;
        return (start, idx);
    }

    private async ValueTask SkipAsync(long count, CancellationToken ct)
    {
        while (count > 0)
        {
            if (_end == _start)
            {
                await ReadMoreAsync(ct);
            }

            var take = (int)Math.Min(count, _end - _start);
            _start += take;
            count -= take;
        }
    }

    private async ValueTask ReadMoreAsync(CancellationToken ct)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new BadResponseException($"Response head or line longer than {_buffer.Length} bytes.");
        }

        var read = await _socket!.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, ct);
        if (read == 0)
        {
            throw new BadResponseException("The server closed the connection.");
        }

        _end += read;
    }

    private void Close()
    {
        _socket?.Dispose();
        _socket = null;
        _start = _end = 0;
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }
}

public sealed class RawSenderFactory(EndPoint endPoint) : ISenderFactory
{
    public IRequestSender CreateSender() => new RawHttpConnection(endPoint);

    public void Dispose()
    {
    }
}
