using System.Net;

namespace BidEngine.Server.Tests;

public sealed class HealthTests(BidderHost host) : IClassFixture<BidderHost>
{
    [Fact]
    public async Task AnswersHealthzAndReadyzOnceWarm()
    {
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/readyz")).StatusCode);
    }
}
