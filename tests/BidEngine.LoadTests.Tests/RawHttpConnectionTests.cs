using System.Net;
using System.Net.Sockets;
using System.Text;
using BidEngine.LoadTests.Corpus;
using BidEngine.LoadTests.Http;
using Xunit;

namespace BidEngine.LoadTests.Tests;

public sealed class RawHttpConnectionTests
{
    private static readonly PreparedRequest Request = new("t", "{}"u8.ToArray(), false, 100)
    {
        Wire = Encoding.ASCII.GetBytes("POST /openrtb2/bid HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"),
    };

    /// <summary>A one-connection server that answers each request with the next canned response, written a few bytes at a time.</summary>
    private static async Task<(IPEndPoint EndPoint, Task Server)> ServeAsync(string[] responses, int segment)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endPoint = (IPEndPoint)listener.LocalEndpoint;
        var server = Task.Run(async () =>
        {
            using var _ = listener.Server;
            using var client = await listener.AcceptTcpClientAsync();
            client.NoDelay = true;
            var stream = client.GetStream();
            var buffer = new byte[4096];
            foreach (var response in responses)
            {
                var seen = new StringBuilder();
                while (!seen.ToString().Contains("{}", StringComparison.Ordinal))
                {
                    var n = await stream.ReadAsync(buffer);
                    seen.Append(Encoding.ASCII.GetString(buffer, 0, n));
                }

                var bytes = Encoding.ASCII.GetBytes(response);
                for (var i = 0; i < bytes.Length; i += segment)
                {
                    await stream.WriteAsync(bytes.AsMemory(i, Math.Min(segment, bytes.Length - i)));
                    await stream.FlushAsync();
                }
            }

            listener.Stop();
        });
        await Task.Yield();
        return (endPoint, server);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task ReadsChunkedContentLengthAndEmptyAnswersOnOneConnection(int segment)
    {
        string[] responses =
        [
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nx-bidengine-path: model\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"id\"\r\n3;ext=1\r\n:1}\r\n0\r\n\r\n",
            "HTTP/1.1 204 No Content\r\nx-bidengine-path: heuristic\r\n\r\n",
            "HTTP/1.1 400 Bad Request\r\nContent-Length: 11\r\n\r\nbad request",
            "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nX-BidEngine-Path: None\r\n\r\n{}",
        ];
        var (endPoint, server) = await ServeAsync(responses, segment);
        await using var connection = new RawHttpConnection(endPoint);

        var answers = new List<ResponseInfo>();
        foreach (var _ in responses)
        {
            answers.Add(await connection.SendAsync(Request, CancellationToken.None));
        }

        Assert.Equal(
        [
            new ResponseInfo(200, PathTag.Model),
            new ResponseInfo(204, PathTag.Heuristic),
            new ResponseInfo(400, PathTag.Absent),
            new ResponseInfo(200, PathTag.None),
        ], answers);
        await server;
    }

    [Fact]
    public async Task ReportsAConnectionClosedMidAnswer()
    {
        var (endPoint, server) = await ServeAsync(["HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"partial\""], 4096);
        await using var connection = new RawHttpConnection(endPoint);

        await Assert.ThrowsAsync<BadResponseException>(() => connection.SendAsync(Request, CancellationToken.None).AsTask());
        await server;
    }

    [Fact]
    public void ParsesStatusAndHeadersCaseInsensitively()
    {
        var head = Encoding.ASCII.GetBytes("HTTP/1.1 503 Service Unavailable\r\nCONNECTION: close\r\nContent-Length: 0");
        var (status, length, chunked, close, path) = RawHttpConnection.ParseHead(head);

        Assert.Equal((503, 0L, false, true, PathTag.Absent), (status, length, chunked, close, path));
    }
}
