using BidEngine.State.Redis.Tests.Fixtures;
using static BidEngine.Server.Tests.State.BidderProcessCalls;

namespace BidEngine.Server.Tests.Operations;

/// <summary>
/// A bidder as a fleet node runs it, scraped by Prometheus with the shipped configuration: a
/// redis-server, a real bidder on it (the model, the shipped budgeted campaigns, one exchange
/// profile, so that every family of series exists), some traffic until the node holds a lease, and
/// <c>prometheus</c> on a copy of deploy/prometheus whose target is this bidder.
/// </summary>
public sealed class ScrapedBidder : IAsyncLifetime
{
    private readonly RedisServer _store = new();
    private readonly DirectoryInfo _config = Directory.CreateTempSubdirectory("bidengine-prometheus-config-");
    private BidderHost? _bidder;
    private PrometheusServer? _prometheus;

    /// <summary>The address Prometheus scrapes: the bidder's management listener, host:port.</summary>
    public string Target { get; private set; } = "";

    /// <summary>The bidder's /metrics once it has served traffic and holds a lease.</summary>
    public string Metrics { get; private set; } = "";

    internal PrometheusServer Prometheus => _prometheus!;

    public async Task InitializeAsync()
    {
        await _store.InitializeAsync();
        _bidder = BidderHost.With(
            "--BidEngine:State:Redis=" + _store.Configuration,
            "--BidEngine:Notices:BaseUrl=" + BaseUrl,
            "--BidEngine:Exchanges:prebid:Seat=seat-prebid");
        await _bidder.InitializeAsync();

        // Bids until the node has leased a slice of a budgeted campaign (the lease series), and the
        // latency quantiles have had requests between two scrapes.
        var until = DateTime.UtcNow.AddSeconds(20);
        do
        {
            for (var i = 0; i < 20; i++)
            {
                await BidAsync(_bidder.Client, Request());
            }

            Metrics = await _bidder.Management.GetStringAsync("/metrics");
        }
        while (!Metrics.Contains("bidengine_lease_slice_currency_units{", StringComparison.Ordinal) && DateTime.UtcNow < until);

        Target = _bidder.ManagementAddress.Authority;
        DeployFiles.WriteTestCopy(_config.FullName, Target);
        _prometheus = await PrometheusServer.StartAsync(_config.FullName);
    }

    public async Task DisposeAsync()
    {
        if (_prometheus is not null)
        {
            await _prometheus.DisposeAsync();
        }

        if (_bidder is not null)
        {
            await _bidder.DisposeAsync();
        }

        await _store.DisposeAsync();
        _config.Delete(recursive: true);
    }
}
