using System.Net;
using System.Text;

namespace BidEngine.Server.Tests.Fuzz;

/// <summary>What <see cref="HttpFuzzTests"/> found, kept as plain cases so that each stays fixed whatever the fuzzer draws.</summary>
public sealed class HttpFuzzFindingsTests(BidderHost host) : IClassFixture<BidderHost>
{
    [Theory]
    [InlineData(70 * 1024)]
    [InlineData(400 * 1024)]
    public async Task ClosesTheConnectionAfterRefusingABodyItDidNotReadSoTheNextRequestIsNotLost(int size)
    {
        // Found by the fuzzer as "the response ended prematurely" on a small request sent right after a
        // 413 for a 400 KB body: the endpoint refuses by Content-Length without reading the body, Kestrel
        // cannot drain more than its own limit (128 KiB) and closes the connection, and the 413 did not
        // say so, so the client sent its next request into a closing socket. One connection, so that the
        // next request would reuse it.
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = host.BaseAddress };
        var big = Encoding.UTF8.GetBytes("{\"id\":\"r\",\"imp\":[{\"id\":\"1\"}],\"ext\":\"" + new string('a', size) + "\"}");
        for (var i = 0; i < 10; i++)
        {
            using (var refused = await client.SendAsync(BidRequests.Post(big)))
            {
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
                Assert.True(refused.Headers.ConnectionClose, "a 413 that leaves the body unread must say Connection: close");
            }

            using var next = await client.SendAsync(BidRequests.Post(BidRequests.Banner));
            Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        }
    }
}
