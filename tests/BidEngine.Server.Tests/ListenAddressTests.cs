namespace BidEngine.Server.Tests;

/// <summary>
/// The bidder listens where its deployment says: <c>--urls</c>, <c>ASPNETCORE_URLS</c>, or
/// <c>ASPNETCORE_HTTP_PORTS</c> (set by the .NET container images); loopback port 5000 only when
/// none is given. Each starts the server as a process, as a deployment would.
/// </summary>
public sealed class ListenAddressTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ListensWhereUrlsOnTheCommandLineSays()
    {
        var port = ServerProcess.FreeLoopbackPort();
        await using var server = ServerProcess.Start(["--urls", $"http://127.0.0.1:{port}"]);

        Assert.True(await server.AnswersAtAsync(new Uri($"http://127.0.0.1:{port}"), Startup), server.Output);
        Assert.Contains($"Now listening on: http://127.0.0.1:{port}", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListensWhereAspNetCoreUrlsSays()
    {
        var port = ServerProcess.FreeLoopbackPort();
        await using var server = ServerProcess.Start([], new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });

        Assert.True(await server.AnswersAtAsync(new Uri($"http://127.0.0.1:{port}"), Startup), server.Output);
        Assert.Contains($"Now listening on: http://127.0.0.1:{port}", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListensOnThePortAspNetCoreHttpPortsNames()
    {
        var port = ServerProcess.FreeLoopbackPort();
        await using var server = ServerProcess.Start([], new Dictionary<string, string> { ["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        // HTTP_PORTS means every interface, loopback included.
        Assert.True(await server.AnswersAtAsync(new Uri($"http://127.0.0.1:{port}"), Startup), server.Output);
        Assert.DoesNotContain("127.0.0.1:5000", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListensOnLoopbackPort5000WhenNothingSaysWhere()
    {
        await using var server = ServerProcess.Start([]);

        // Port 5000 may be taken on a shared machine: then the failure to bind names the address tried, which is what is checked.
        Assert.True(await server.SaysAsync("http://127.0.0.1:5000", Startup), server.Output);
        Assert.DoesNotContain("localhost:5000", server.Output, StringComparison.Ordinal);
    }
}
