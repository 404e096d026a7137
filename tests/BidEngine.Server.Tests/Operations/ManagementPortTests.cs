using System.Net;
using BidEngine.Server.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BidEngine.Server.Tests.Operations;

/// <summary>
/// Whoever reaches the bid port must not read the business: every endpoint for people answers on the
/// management listener only, and the bid routes only on the bid port. The endpoints are found from the
/// host's own route table, so one added later is checked too.
/// </summary>
public sealed class ManagementPortTests : IClassFixture<BidderHost>
{
    private readonly BidderHost _host;

    public ManagementPortTests(BidderHost host) => _host = host;

    [Fact]
    public async Task EveryEndpointForPeopleAnswersOnTheManagementPortAndIs404OnTheBidPort()
    {
        var paths = ManagementGetPaths();
        Assert.Contains("/metrics", paths);
        foreach (var path in paths)
        {
            using var onBidPort = await _host.Client.GetAsync(path);
            Assert.True(onBidPort.StatusCode == HttpStatusCode.NotFound, $"{path} on the bid port: {(int)onBidPort.StatusCode}");

            using var onManagement = await _host.Management.GetAsync(path);
            Assert.True(onManagement.StatusCode != HttpStatusCode.NotFound, $"{path} on the management port: 404");
        }
    }

    [Fact]
    public async Task AHostHeaderNamingTheManagementPortDoesNotOpenItOnTheBidPort()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Host = _host.ManagementAddress.Authority;
        using var response = await _host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task BidsAndNoticesAreNotServedOnTheManagementPort()
    {
        using var onBidPort = await _host.Client.SendAsync(BidRequests.Post(BidRequests.Banner));
        Assert.Equal(HttpStatusCode.OK, onBidPort.StatusCode);

        using var bid = await _host.Management.SendAsync(BidRequests.Post(BidRequests.Banner));
        Assert.Equal(HttpStatusCode.NotFound, bid.StatusCode);
        using var notice = await _host.Management.GetAsync("/openrtb2/notice/imp?t=x");
        Assert.Equal(HttpStatusCode.NotFound, notice.StatusCode);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task HealthAnswersOnBothListeners(string path)
    {
        using var onBidPort = await _host.Client.GetAsync(path);
        using var onManagement = await _host.Management.GetAsync(path);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (onBidPort.StatusCode, onManagement.StatusCode));
    }

    [Fact]
    public async Task AManagementPortSharedWithTheBidPortStopsTheStart()
    {
        var port = ServerProcess.FreeLoopbackPort();
        await using var server = ServerProcess.Start(["--urls", $"http://127.0.0.1:{port}", $"--BidEngine:Management:Url=http://127.0.0.1:{port}"]);
        Assert.Equal(1, await server.ExitCodeAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("BidEngine:Management:Url 'http://127.0.0.1:" + port, server.Output, StringComparison.Ordinal);
        Assert.Contains("needs a port of its own", server.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("http://127.0.0.1")]
    [InlineData("127.0.0.1:5001")]
    [InlineData("http://127.0.0.1:5001/admin")]
    public async Task AManagementUrlWithoutAPortOfItsOwnStopsTheStart(string url)
    {
        var refusal = await BidderHost.StartFailsAsync("--BidEngine:Management:Url=" + url);
        Assert.Contains(refusal.Failures, f => f.Contains("BidEngine:Management:Url", StringComparison.Ordinal));
    }

    private string[] ManagementGetPaths() =>
        _host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ManagementOnly>() is not null)
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>() is not { } methods || methods.HttpMethods.Contains("GET"))
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(p => !p.Contains('{', StringComparison.Ordinal))
            .Distinct()
            .ToArray();
}
