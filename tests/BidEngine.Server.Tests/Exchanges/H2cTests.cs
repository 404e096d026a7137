using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace BidEngine.Server.Tests.Exchanges;

/// <summary>
/// HTTP/2 without TLS (h2c, prior knowledge) for exchanges that speak it: Kestrel cannot offer both
/// protocols on one cleartext port (no TLS, no negotiation), so h2c gets an endpoint of its own,
/// configured with Kestrel's own settings beside the HTTP/1.1 one. This checks that the bidder's
/// wiring leaves that working, and the management listener beside them.
/// </summary>
public sealed class H2cTests
{
    [Fact]
    public async Task AnswersHttp2WithoutTlsOnAnEndpointOfItsOwnBesideHttp1()
    {
        await using var host = BidderHost.With(
            "--Kestrel:Endpoints:Http1:Url=http://127.0.0.1:0",
            "--Kestrel:Endpoints:H2c:Url=http://127.0.0.1:0",
            "--Kestrel:Endpoints:H2c:Protocols=Http2");
        await host.InitializeAsync();
        // Kestrel's endpoint settings replace --urls; the management listener joins them as a third.
        var all = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        var addresses = all.Where(a => new Uri(a).Port != host.ManagementAddress.Port).ToList();
        Assert.Equal((3, 2), (all.Count, addresses.Count));
        Assert.Equal(HttpStatusCode.OK, (await host.Management.GetAsync("/metrics")).StatusCode);

        var http2 = 0;
        var http1 = 0;
        foreach (var address in addresses)
        {
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            if (await Answers(client, HttpVersion.Version20))
            {
                http2++;
            }
            else if (await Answers(client, HttpVersion.Version11))
            {
                http1++;
            }
        }

        // One endpoint answered HTTP/2 with prior knowledge, the other HTTP/1.1.
        Assert.Equal((1, 1), (http2, http1));
    }

    private static async Task<bool> Answers(HttpClient client, Version version)
    {
        using var request = BidRequests.Post(BidRequests.Banner);
        request.Version = version;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        try
        {
            using var answer = await client.SendAsync(request);
            return answer.StatusCode == HttpStatusCode.OK && answer.Version == version;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
