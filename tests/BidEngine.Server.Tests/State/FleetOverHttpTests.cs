using System.Net;
using BidEngine.State.Redis.Tests.Fixtures;
using static BidEngine.Server.Tests.State.BidderProcessCalls;

namespace BidEngine.Server.Tests.State;

/// <summary>
/// Two real bidder processes sharing one redis-server, as a fleet behind a load balancer: bids on
/// both never hold more than the budget, a bill sent to the node that did not bid is taken, and a
/// bill replayed to the other node counts once.
/// </summary>
public sealed class FleetOverHttpTests : IAsyncLifetime
{
    private readonly RedisServer _store = new();
    private readonly DirectoryInfo _config = Directory.CreateTempSubdirectory("bidengine-fleet-config-");
    private readonly string _key = Convert.ToBase64String(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());

    public async Task InitializeAsync()
    {
        await _store.InitializeAsync();
        WriteConfig(
            _config.FullName,
            Campaign("budgeted", """{"budget":{"total":0.02},"pacing":"asap"}"""),
            Campaign("open", w: 728, h: 90),
            Campaign("larger", """{"budget":{"total":0.5},"pacing":"asap"}""", 160, 600),
            Campaign("capped", """{"frequencyCap":{"impressions":1,"windowSeconds":3600,"unknownUsers":"skip"}}""", 320, 50));
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _config.Delete(recursive: true);
    }

    [Fact]
    public async Task TwoNodesHoldAtMostTheBudgetAndABillAtEitherNodeCountsOnce()
    {
        var (a, httpA) = await StartAsync();
        var (b, httpB) = await StartAsync();
        await using var nodeA = a;
        await using var nodeB = b;
        using var clientA = httpA;
        using var clientB = httpB;

        // 0.02 at 5 CPM: four impressions in all, whichever node bids. Leases arrive within the loop's interval.
        var bids = new List<(string Burl, HttpClient Node)>();
        var until = DateTime.UtcNow.AddSeconds(20);
        for (var i = 0; DateTime.UtcNow < until && bids.Count < 6; i++)
        {
            var node = i % 2 == 0 ? clientA : clientB;
            if (await BidAsync(node, Request()) is { } burl)
            {
                bids.Add((burl, node));
            }
            else
            {
                await Task.Delay(50);
            }
        }

        Assert.InRange(bids.Count, 1, 4);
        foreach (var (burl, node) in bids)
        {
            var other = ReferenceEquals(node, clientA) ? clientB : clientA;
            Assert.Equal(HttpStatusCode.NoContent, await BillAsync(other, burl));
            Assert.Equal(HttpStatusCode.NoContent, await BillAsync(node, burl)); // the replay, at the node that bid
        }

        Assert.Equal(bids.Count * 5_000_000L, (long)_store.Db.HashGet("be:b:budgeted", "spent"));
        using var managementA = new HttpClient { BaseAddress = nodeA.ManagementAddress };
        var metrics = await managementA.GetStringAsync("/metrics");
        Assert.Equal(1, PrometheusText.Value(metrics, "bidengine_store_up"));
        Assert.True(PrometheusText.Value(metrics, "bidengine_store_round_trips_total", ("path", "notice")) >= 1);
        Assert.True(PrometheusText.Value(metrics, "bidengine_lease_slice_currency_units", ("campaign", "budgeted")) >= 0);
    }

    [Fact]
    public async Task BidsAndBillsAtRandomNodesAtOnceSpendTheBudgetWithinTheStatedBoundsAndCapsHold()
    {
        var (a, httpA) = await StartAsync();
        var (b, httpB) = await StartAsync();
        await using var nodeA = a;
        await using var nodeB = b;
        using var clientA = httpA;
        using var clientB = httpB;
        HttpClient[] nodes = [clientA, clientB];

        // 0.5 at 5 CPM, billed at 4: four workers bid and bill at random nodes until no bid is made for 6 s.
        var bids = 0;
        var retried = 0;
        var lastBid = DateTime.UtcNow;
        var stop = DateTime.UtcNow.AddSeconds(60);
        async Task WorkAsync(int seed)
        {
            var random = new Random(seed);
            while (DateTime.UtcNow < stop && DateTime.UtcNow - lastBid < TimeSpan.FromSeconds(6))
            {
                if (await BidAsync(nodes[random.Next(2)], Request(160, 600)) is { } burl)
                {
                    Interlocked.Increment(ref bids);
                    lastBid = DateTime.UtcNow;
                    // As an exchange does: a 503 (the store did not answer in time) is sent again, to any node.
                    var status = await BillAsync(nodes[random.Next(2)], burl, "4");
                    for (var retry = 0; retry < 50 && status == HttpStatusCode.ServiceUnavailable; retry++)
                    {
                        Interlocked.Increment(ref retried);
                        await Task.Delay(100);
                        status = await BillAsync(nodes[random.Next(2)], burl, "4");
                    }

                    Assert.Equal(HttpStatusCode.NoContent, status);
                }
                else
                {
                    await Task.Delay(20);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(1, 4).Select(WorkAsync));

        // The bound: nothing billed late and no node killed, so never over the budget; stranded at
        // exhaustion under (nodes + 1) bids of 0.005.
        var spent = (long)_store.Db.HashGet("be:b:larger", "spent");
        Assert.Equal(bids * 4_000_000L, spent);
        var diag = string.Join(", ", _store.Db.HashGetAll("be:b:larger").Select(e => e.Name + "=" + e.Value)) + " | " + string.Join(", ", _store.Db.HashGetAll("be:l:larger").Select(e => e.Name + "=" + e.Value)) + $" | retried {retried}";
        Assert.True(spent >= 500_000_000L - (3 * 5_000_000L) && spent <= 500_000_000L, diag);

        // A user billed through one node is capped on both, once the impression has been published.
        var capped = await BidAsync(clientA, Request(320, 50, "u1")) ?? throw new Xunit.Sdk.XunitException("no bid on the capped campaign");
        Assert.Equal(HttpStatusCode.NoContent, await BillAsync(clientB, capped));
        var cappedAtA = false;
        for (var i = 0; i < 60 && !cappedAtA; i++)
        {
            cappedAtA = await BidAsync(clientA, Request(320, 50, "u1")) is null;
            await Task.Delay(cappedAtA ? 0 : 50);
        }

        Assert.True(cappedAtA);
        Assert.Null(await BidAsync(clientB, Request(320, 50, "u1")));
    }

    [Fact]
    public async Task WhileTheStoreIsPausedBidsAreAnsweredAndBillsAskForARetryThatCountsOnceItIsBack()
    {
        var (node, http) = await StartAsync();
        await using var server = node;
        using var client = http;
        var burl = await FirstBidAsync(client);
        _store.Pause();
        try
        {
            // The bid path reads only local memory: the unbudgeted campaign keeps bidding, nothing is a 5xx.
            for (var i = 0; i < 50; i++)
            {
                Assert.NotNull(await BidAsync(client, Request(728, 90)));
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, await BillAsync(client, burl));
        }
        finally
        {
            _store.Resume();
        }

        var status = HttpStatusCode.ServiceUnavailable;
        for (var i = 0; i < 100 && status != HttpStatusCode.NoContent; i++)
        {
            status = await BillAsync(client, burl);
            await Task.Delay(status == HttpStatusCode.NoContent ? 0 : 100);
        }

        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Equal(HttpStatusCode.NoContent, await BillAsync(client, burl));
        Assert.Equal(5_000_000L, (long)_store.Db.HashGet("be:b:budgeted", "spent"));
    }

    /// <summary>
    /// A deploy stops nodes with SIGTERM: a node gives back at exit what its lease holds beyond its bids
    /// still outstanding, so the others spend it at once instead of after the node lease's time to live.
    /// </summary>
    [Fact]
    public async Task ANodeStoppedWithSigtermGivesItsLeaseBackAtExit()
    {
        var (a, httpA) = await StartAsync();
        await using var nodeA = a;
        using var clientA = httpA;
        var outstanding = await FirstBidAsync(clientA);
        var leasedBefore = (long)_store.Db.HashGet("be:b:budgeted", "leased");
        Assert.True(leasedBefore > 5_000_000L, $"node A leased {leasedBefore} units: no more than its one bid, so there is nothing to give back");

        nodeA.Terminate();
        Assert.Equal(0, await nodeA.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        var stoppedAt = DateTime.UtcNow;
        Assert.Equal(5_000_000L, (long)_store.Db.HashGet("be:b:budgeted", "leased")); // the outstanding bid's reservation only

        // Node B gets the rest (three more impressions) long before node A's lease would have expired.
        var (b, httpB) = await StartAsync();
        await using var nodeB = b;
        using var clientB = httpB;
        var bidsByB = 0;
        while (bidsByB < 3 && DateTime.UtcNow < stoppedAt.AddSeconds(9))
        {
            if (await BidAsync(clientB, Request()) is not null)
            {
                bidsByB++;
            }
            else
            {
                await Task.Delay(50);
            }
        }

        Assert.Equal(3, bidsByB);
        Assert.Equal(HttpStatusCode.NoContent, await BillAsync(clientB, outstanding)); // node A's bid, billed at B
    }

    [Fact]
    public async Task WhileTheStoreIsStoppedBidsAreAnsweredAndOnceItIsStartedAgainBillsCountAndBudgetedBidsResume()
    {
        var (node, http) = await StartAsync();
        await using var server = node;
        using var client = http;
        var burl = await FirstBidAsync(client);
        _store.Kill();
        for (var i = 0; i < 50; i++)
        {
            Assert.NotNull(await BidAsync(client, Request(728, 90)));
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, await BillAsync(client, burl));

        // A new, empty store on the same address (this one keeps nothing on disk): the node reconnects by itself.
        await _store.StartAsync();
        var status = HttpStatusCode.ServiceUnavailable;
        for (var i = 0; i < 150 && status != HttpStatusCode.NoContent; i++)
        {
            status = await BillAsync(client, burl);
            await Task.Delay(status == HttpStatusCode.NoContent ? 0 : 100);
        }

        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Equal(5_000_000L, (long)_store.Db.HashGet("be:b:budgeted", "spent"));
        string? again = null;
        for (var i = 0; i < 150 && again is null; i++)
        {
            again = await BidAsync(client, Request());
            await Task.Delay(again is null ? 100 : 0);
        }

        Assert.NotNull(again);
    }

    /// <summary>The first bid on the default banner once the node's lease has come (within 10 s): its burl.</summary>
    private static async Task<string> FirstBidAsync(HttpClient client)
    {
        string? burl = null;
        for (var i = 0; i < 200 && burl is null; i++)
        {
            burl = await BidAsync(client, Request());
            await Task.Delay(burl is null ? 50 : 0);
        }

        Assert.NotNull(burl);
        return burl;
    }

    private async Task<(ServerProcess Process, HttpClient Http)> StartAsync()
    {
        var port = ServerProcess.FreeLoopbackPort();
        var server = ServerProcess.Start(
        [
            "--urls", $"http://127.0.0.1:{port}", "--config", _config.FullName, "--BidEngine:ReloadCampaigns=false",
            "--BidEngine:Notices:BaseUrl=" + BaseUrl, "--BidEngine:Notices:SigningKey=" + _key, "--BidEngine:State:Redis=" + _store.Configuration,
        ]);
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await WaitReadyAsync(server, http);
        return (server, http);
    }
}
