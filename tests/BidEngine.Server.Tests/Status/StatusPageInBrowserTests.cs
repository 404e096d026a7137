using System.Text.Json;
using BidEngine.Core.Exchanges;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace BidEngine.Server.Tests.Status;

/// <summary>
/// The status page in a real browser: Debian's chromium, headless, loads <c>/status</c> from the
/// management listener of a bidder under load, runs the page's own script, and the test reads the DOM
/// after it ran (the DevTools protocol): every chart has points, the tables have their rows. It saves a
/// screenshot under the test output (<c>screenshots/status.png</c>) and prints its path.
/// </summary>
public sealed class StatusPageInBrowserTests(ITestOutputHelper output)
{
    private const int Width = 1440;
    private const int Height = 900;

    private static readonly string[] Charts = ["requests", "latency", "paths", "late", "billed", "skipped"];

    [Fact]
    public async Task ChromiumDrawsEveryChartWithDataFromABidderUnderLoad()
    {
        // The sample campaigns with the click URL in their markup, so that clicks (and calibration) have data.
        var folder = Directory.CreateTempSubdirectory("bidengine-status-page-");
        try
        {
            await LoadThePageUnderLoadAsync(await NoticeCalls.WriteClickCampaignsAsync(folder.FullName));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private async Task LoadThePageUnderLoadAsync(string campaigns)
    {
        await using var host = BidderHost.With(
            "--BidEngine:CampaignsPath=" + campaigns,
            $"--BidEngine:Notices:BaseUrl={NoticeCalls.BaseUrl}",
            "--BidEngine:Exchanges:prebid:DefaultTmaxMs=500",
            "--BidEngine:Exchanges:prebid:NetworkReserveMs=40",
            "--BidEngine:Exchanges:legacy:DefaultTmaxMs=120");
        await host.InitializeAsync();
        var exchanges = host.Services.GetRequiredService<ExchangeDirectory>();
        Assert.True(exchanges.TryGet("legacy", out var legacy));

        // An operator switched one exchange off: the page must show its kill switch.
        legacy.Health.Disable();
        await using var traffic = BidTraffic.Start(host, senders: 3, "/openrtb2/bid", "/openrtb2/prebid/bid", "/openrtb2/legacy/bid");

        // Enough seconds of history that every chart has a line, not a dot.
        await WaitForAsync(() => traffic.Sent > 0 && traffic.Notices > 0, TimeSpan.FromSeconds(30), "the load to start");
        await Task.Delay(TimeSpan.FromSeconds(6));

        await using var browser = await Chromium.StartAsync(Width, Height);
        var page = await browser.OpenAsync(new Uri(host.ManagementAddress, "status").ToString(), Width, Height);
        var charts = await WaitForChartsAsync(browser, page, TimeSpan.FromSeconds(45));

        foreach (var chart in Charts)
        {
            var (points, drawn) = charts[chart];
            Assert.True(points >= 5, $"chart {chart}: {points} points with data");
            Assert.True(drawn > 0, $"chart {chart}: nothing drawn");
        }

        var campaignRows = (await browser.EvaluateAsync(page, "document.querySelectorAll('#campaigns tbody tr').length")).GetInt32();
        var withWins = (await browser.EvaluateAsync(page,
            "[...document.querySelectorAll('#campaigns tbody tr')].filter(r => r.cells[9].textContent.endsWith('%')).length")).GetInt32();
        var switches = (await browser.EvaluateAsync(page,
            "[...document.querySelectorAll('#exchanges tbody tr')].map(r => r.cells[0].textContent + ':' + r.cells[1].textContent).join(',')")).GetString();
        var model = (await browser.EvaluateAsync(page, "document.querySelector('#model dd').textContent")).GetString();
        var outside = (await browser.EvaluateAsync(page,
            $"performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith('{host.ManagementAddress}'))")).EnumerateArray().Select(e => e.GetString()).ToList();

        Assert.Equal(5, campaignRows);
        Assert.True(withWins >= 1, "no campaign shows a win rate, though notices were taken");
        Assert.Equal("legacy:off by hand,prebid:serving", string.Join(',', switches!.Split(',').Order()));
        Assert.StartsWith("onnx:", model);
        Assert.Empty(outside);
        Assert.True(traffic.Failures == 0, $"{traffic.Failures} failures, the first: {traffic.FirstFailure}");

        var shot = await browser.ScreenshotAsync(page, Width);
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "status.png");
        await File.WriteAllBytesAsync(path, shot);
        Assert.True(shot.Length > 10_000, $"a screenshot of {shot.Length} bytes");
        output.WriteLine($"Screenshot of the status page under load ({traffic.Sent} requests, {traffic.Bids} bids, {traffic.Notices} notices): {path}");
        output.WriteLine("Charts (points): " + string.Join(", ", charts.Select(c => $"{c.Key} {c.Value.Points}")));
    }

    /// <summary>Each chart's <c>data-points</c> and drawn marks, once all have data or the time is up.</summary>
    private static async Task<Dictionary<string, (int Points, int Drawn)>> WaitForChartsAsync(Chromium browser, string page, TimeSpan limit)
    {
        const string Read = """
            JSON.stringify([...document.querySelectorAll('figure.chart')].map(f => ({
              id: f.id.replace('chart-', ''),
              points: +f.getAttribute('data-points'),
              drawn: f.querySelectorAll('svg path, svg circle').length })))
            """;
        var until = DateTime.UtcNow + limit;
        var charts = new Dictionary<string, (int, int)>();
        while (DateTime.UtcNow < until)
        {
            var json = await browser.EvaluateAsync(page, Read);
            if (json.ValueKind == JsonValueKind.String)
            {
                charts = JsonDocument.Parse(json.GetString()!).RootElement.EnumerateArray()
                    .ToDictionary(c => c.GetProperty("id").GetString()!, c => (c.GetProperty("points").GetInt32(), c.GetProperty("drawn").GetInt32()));
                if (Charts.All(c => charts.TryGetValue(c, out var v) && v.Item1 >= 5 && v.Item2 > 0))
                {
                    return charts;
                }
            }

            await Task.Delay(250);
        }

        Assert.Fail("The page's charts did not fill within " + limit + ": " + string.Join(", ", charts.Select(c => $"{c.Key} {c.Value}")));
        return charts;
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan limit, string what)
    {
        var until = DateTime.UtcNow + limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "timed out waiting for " + what);
            await Task.Delay(50);
        }
    }
}
