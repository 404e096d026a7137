using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace BidEngine.LoadTests.Money;

/// <summary>
/// Just enough of the Redis protocol to read the store after a run (HGET, INFO): one command at a time
/// on one connection, loopback only. The bidder's own client is StackExchange.Redis; this tool only reads.
/// </summary>
public sealed class RespClient : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    private RespClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _reader = new StreamReader(_stream, Encoding.UTF8);
    }

    public static async Task<RespClient> ConnectAsync(string hostPort, CancellationToken ct)
    {
        var colon = hostPort.LastIndexOf(':');
        var host = colon < 0 ? hostPort : hostPort[..colon];
        var port = colon < 0 ? 6379 : int.Parse(hostPort[(colon + 1)..], CultureInfo.InvariantCulture);
        if (!Targets.TargetUri.IsLoopback(host))
        {
            throw new ArgumentException($"--store must be on loopback, not '{host}'.");
        }

        var tcp = new TcpClient { ReceiveTimeout = 5000, SendTimeout = 5000 };
        await tcp.ConnectAsync(host, port, ct);
        return new RespClient(tcp);
    }

    /// <summary>Sends one command; a bulk or simple string reply as text, an integer as its digits, nil as null.</summary>
    public async Task<string?> CommandAsync(params string[] args)
    {
        var sb = new StringBuilder();
        sb.Append('*').Append(args.Length).Append("\r\n");
        foreach (var a in args)
        {
            sb.Append('$').Append(Encoding.UTF8.GetByteCount(a)).Append("\r\n").Append(a).Append("\r\n");
        }

        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        await _stream.WriteAsync(bytes);
        var line = await _reader.ReadLineAsync() ?? throw new IOException("the store closed the connection");
        switch (line[0])
        {
            case '+':
            case ':':
                return line[1..];
            case '-':
                throw new IOException($"the store answered {line}");
            case '$':
                var length = int.Parse(line.AsSpan(1), CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return null;
                }

                var buffer = new char[length];
                var read = 0;
                while (read < length)
                {
                    // Replies read here are ASCII (numbers, INFO text): chars = bytes.
                    var n = await _reader.ReadAsync(buffer.AsMemory(read, length - read));
                    read += n > 0 ? n : throw new IOException("the store closed the connection");
                }

                await _reader.ReadLineAsync();
                return new string(buffer);
            default:
                throw new IOException($"unexpected reply from the store: {line}");
        }
    }

    /// <summary>A field of <c>INFO</c> (e.g. total_commands_processed), or null.</summary>
    public async Task<long?> InfoFieldAsync(string section, string field)
    {
        var info = await CommandAsync("INFO", section) ?? "";
        foreach (var line in info.Split('\n'))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal)
                && long.TryParse(line.AsSpan(field.Length + 1).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
            {
                return v;
            }
        }

        return null;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
        _tcp.Dispose();
    }
}
