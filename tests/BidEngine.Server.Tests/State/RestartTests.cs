using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using static BidEngine.Server.Tests.State.BidderProcessCalls;

namespace BidEngine.Server.Tests.State;

/// <summary>
/// Money across a restart of the real process, over HTTP as an exchange sees it: bids made before
/// a SIGTERM or a kill -9 are billed after it and counted, a replayed bill counts once, a spent
/// campaign stays spent, a frequency cap still holds. Each run has its own config and state folder.
/// </summary>
public sealed class RestartTests : IDisposable
{
    private readonly DirectoryInfo _config = Directory.CreateTempSubdirectory("bidengine-restart-config-");
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("bidengine-restart-state-");
    private readonly int _managementPort = ServerProcess.FreeLoopbackPort();
    private HttpClient? _management;
    private readonly string _key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    public RestartTests()
    {
        WriteConfig(
            _config.FullName,
            Campaign("budgeted", """{"budget":{"total":0.02},"pacing":"asap"}""", 300, 250),
            Campaign("capped", """{"frequencyCap":{"impressions":1,"windowSeconds":3600,"unknownUsers":"skip"}}""", 728, 90));
    }

    public void Dispose()
    {
        _management?.Dispose();
        _config.Delete(recursive: true);
        _state.Delete(recursive: true);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BillsOfBidsMadeBeforeARestartCountOnceAndSpentCampaignsAndCapsStay(bool kill)
    {
        var port = ServerProcess.FreeLoopbackPort();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var first = await StartAsync(port, http);
        var budgeted = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            budgeted.Add(await BidAsync(http, Request(300, 250)) ?? throw new Xunit.Sdk.XunitException($"bid {i} of 4 on the budgeted campaign was not made"));
        }

        Assert.Null(await BidAsync(http, Request(300, 250))); // 0.02 at 5 CPM: four bids hold it all
        Assert.Equal(HttpStatusCode.NoContent, await BillAsync(http, budgeted[0]));
        Assert.Equal(HttpStatusCode.NoContent, await BillAsync(http, budgeted[1]));
        var capped = await BidAsync(http, Request(728, 90, "u1")) ?? throw new Xunit.Sdk.XunitException("no bid on the capped campaign");
        Assert.Equal(HttpStatusCode.NoContent, await BillAsync(http, capped));
        Assert.Null(await BidAsync(http, Request(728, 90, "u1")));

        if (kill)
        {
            // Past one flush interval, so the reservations are on disk too (bills are at once).
            await Task.Delay(600);
            first.Kill();
        }
        else
        {
            first.Terminate();
            Assert.Equal(0, await first.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        }

        await first.DisposeAsync();
        await using var second = await StartAsync(port, http);

        Assert.Equal(HttpStatusCode.NoContent, await BillAsync(http, budgeted[2]));
        Assert.Equal(HttpStatusCode.NoContent, await BillAsync(http, budgeted[3]));
        Assert.Equal(HttpStatusCode.NoContent, await BillAsync(http, budgeted[0])); // a replay: answered, counted once
        Assert.Equal(HttpStatusCode.NoContent, await BillAsync(http, capped));
        Assert.Equal(0.02, await SpentAsync("budgeted"), 9);
        Assert.Equal(0.005, await SpentAsync("capped"), 9);
        Assert.Null(await BidAsync(http, Request(300, 250)));
        Assert.Null(await BidAsync(http, Request(728, 90, "u1")));
        Assert.NotNull(await BidAsync(http, Request(728, 90, "u2")));
        var metrics = await Management.GetStringAsync("/metrics");
        Assert.DoesNotContain("issued_before_start", metrics, StringComparison.Ordinal);
        Assert.True(PrometheusText.Value(metrics, "bidengine_state_journal_flushes_total") >= 1);
    }

    [Fact]
    public async Task TwoProcessesCannotShareOneStateFolder()
    {
        var port = ServerProcess.FreeLoopbackPort();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await using var first = await StartAsync(port, http);
        await using var second = ServerProcess.Start(Args(ServerProcess.FreeLoopbackPort(), ServerProcess.FreeLoopbackPort()));
        Assert.NotEqual(0, await second.ExitCodeAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("is in use by another bidder process", second.Output, StringComparison.Ordinal);
    }

    /// <summary>Where /metrics is read, before and after a restart alike.</summary>
    private HttpClient Management => _management ??= new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_managementPort}") };

    private string[] Args(int port) => Args(port, _managementPort);

    private string[] Args(int port, int managementPort) =>
    [
        "--urls", $"http://127.0.0.1:{port}", $"--BidEngine:Management:Url=http://127.0.0.1:{managementPort}", "--config", _config.FullName, "--BidEngine:ReloadCampaigns=false",
        "--BidEngine:Notices:BaseUrl=" + BaseUrl, "--BidEngine:Notices:SigningKey=" + _key,
        "--BidEngine:State:Folder=" + _state.FullName, "--BidEngine:State:FlushIntervalMilliseconds=200",
    ];

    private async Task<ServerProcess> StartAsync(int port, HttpClient http)
    {
        var server = ServerProcess.Start(Args(port));
        await WaitReadyAsync(server, http);
        return server;
    }

    private async Task<double> SpentAsync(string campaign)
    {
        var metrics = await Management.GetStringAsync("/metrics");
        return PrometheusText.Value(metrics, "bidengine_campaign_spent_currency_units", ("campaign", campaign), ("period", "total"));
    }
}
