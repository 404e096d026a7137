using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BidEngine.Core.Events;

namespace BidEngine.Server.Tests.Traffic;

/// <summary>
/// A bidder for the traffic tests: its own config folder (the shipped settings, one campaign bidding
/// 5 CPM on any 300x250 banner, a copy of the fixture supply folder and data-centre list), no-bids
/// answered with a body (so the nbr shows), every refusal in the bid log, and an exchange profile
/// <c>exchx</c> whose domain is exchange.example. Extra settings turn the checks on.
/// </summary>
internal sealed class TrafficHost : IAsyncDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("bidengine-traffic-");
    private bool _stopped;

    private TrafficHost()
    {
    }

    public BidderHost Host { get; private set; } = null!;

    public string Config => Path.Combine(_folder.FullName, "config");

    public string Supply => Path.Combine(Config, "supply");

    public string LogFolder => Path.Combine(_folder.FullName, "log");

    public static async Task<TrafficHost> StartAsync(params string[] settings)
    {
        var host = new TrafficHost();
        host.Prepare();
        host.Host = BidderHost.With([
            "--config", host.Config, "--BidEngine:UseModel=false", "--BidEngine:ReloadCampaigns=false",
            "--BidEngine:Http:NoBidWithBody=true",
            "--BidEngine:EventLog:Folder=" + host.LogFolder, "--BidEngine:EventLog:FlushIntervalMs=50", "--BidEngine:EventLog:SampleTrafficRefusals=1",
            "--BidEngine:Exchanges:exchx:Domain=exchange.example",
            "--BidEngine:Traffic:DataCentresPath=datacentres.txt",
            .. settings]);
        await host.Host.InitializeAsync();
        return host;
    }

    /// <summary>The config folder as <see cref="StartAsync"/> makes it, for tests that start the bidder themselves.</summary>
    public static TrafficHost Prepared()
    {
        var host = new TrafficHost();
        host.Prepare();
        return host;
    }

    private void Prepare()
    {
        Directory.CreateDirectory(Config);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "config", "bidengine.json"), Path.Combine(Config, "bidengine.json"));
        File.Copy(TrafficFixtures.DataCentres, Path.Combine(Config, "datacentres.txt"));
        CopyFolder(TrafficFixtures.SupplyFolder, Supply);
        var campaign = new JsonObject
        {
            ["id"] = "any-banner",
            ["adomain"] = new JsonArray("brand.example"),
            ["valuePerClick"] = 10,
            ["maxBidCpm"] = 5,
            ["ctrPrior"] = 0.5,
            ["creatives"] = new JsonArray(new JsonObject { ["id"] = "b-300x250", ["kind"] = "banner", ["w"] = 300, ["h"] = 250, ["adm"] = "<img src=\"https://brand.example/a.png\">" }),
        };
        File.WriteAllText(Path.Combine(Config, "campaigns.json"), new JsonObject { ["campaigns"] = new JsonArray(campaign) }.ToJsonString());
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>What the bidder answered: a bid, or a no-bid with its nbr.</summary>
    public async Task<(bool Bid, int Nbr)> SendAsync(string json, string route = "/openrtb2/bid")
    {
        var message = BidRequests.Post(json);
        message.RequestUri = new Uri(route, UriKind.Relative);
        using var response = await Host.Client.SendAsync(message);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.TryGetProperty("seatbid", out _) ? (true, 0) : (false, document.RootElement.GetProperty("nbr").GetInt32());
    }

    public Task<string> MetricsAsync() => Host.Management.GetStringAsync("/metrics");

    /// <summary>The decision records of the bid log by request id, once the host is stopped (its log flushed).</summary>
    public async Task<Dictionary<string, EventRecord>> DecisionsAsync()
    {
        await StopAsync();
        var records = new Dictionary<string, EventRecord>(StringComparer.Ordinal);
        await foreach (var record in EventLogFolder.ReadAllAsync(LogFolder))
        {
            if (record is NoBidEvent or BidEvent)
            {
                records[record.RequestId] = record;
            }
        }

        return records;
    }

    public async Task StopAsync()
    {
        if (Host is not null && !_stopped)
        {
            _stopped = true;
            await Host.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _folder.Delete(recursive: true);
    }
}
