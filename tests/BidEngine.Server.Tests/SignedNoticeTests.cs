using System.Globalization;
using System.Net;
using BidEngine.Core.Budgets;
using BidEngine.Core.Heuristics;
using BidEngine.Core.Pricing;
using BidEngine.Core.Time;
using Microsoft.Extensions.DependencyInjection;
using static BidEngine.Server.Tests.NoticeCalls;

namespace BidEngine.Server.Tests;

/// <summary>
/// Signed notices over real HTTP, the done-when of issue 11: forged, altered, expired, replayed and
/// over-priced notices spend nothing and move no prior, also when many senders fire at once; the
/// key rotates; a click needs its billed impression; a loss releases its reservation and teaches
/// the shading. Each refusal is counted by its reason at /metrics.
/// </summary>
public sealed class SignedNoticeTests : IAsyncLifetime
{
    private static readonly string KeyA = Convert.ToBase64String(Enumerable.Repeat((byte)0xA1, 32).ToArray());
    private static readonly string KeyB = Convert.ToBase64String(Enumerable.Repeat((byte)0xB2, 32).ToArray());

    /// <summary>A first-price version of the banner request: its outcomes go to the shading.</summary>
    private static readonly string FirstPriceBanner = BidRequests.Banner.Replace("\"tmax\":200,", "\"tmax\":200,\"at\":1,", StringComparison.Ordinal);

    private DirectoryInfo _folder = null!;
    private string _campaigns = null!;

    public async Task InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("bidengine-signed-");
        _campaigns = await WriteClickCampaignsAsync(_folder.FullName);
    }

    public Task DisposeAsync()
    {
        _folder.Delete(recursive: true);
        return Task.CompletedTask;
    }

    private async Task<BidderHost> StartAsync(ManualClock? clock = null, IBidShading? shading = null, params string[] more)
    {
        var host = BidderHost.With(
            services =>
            {
                if (clock is not null)
                {
                    services.AddSingleton<IClock>(clock);
                }

                if (shading is not null)
                {
                    services.AddSingleton(shading);
                }
            },
            ["--BidEngine:UseModel=false", "--BidEngine:ReloadCampaigns=false", "--BidEngine:CampaignsPath=" + _campaigns,
                "--BidEngine:Notices:BaseUrl=" + BaseUrl, "--BidEngine:Notices:RefreshSeconds=3600", "--BidEngine:Notices:SigningKey=" + KeyA, .. more]);
        await host.InitializeAsync();
        return host;
    }

    /// <summary>Everything a notice could move: spend (metric and ledger), reservations, prior counts.</summary>
    private static async Task<(double SpendMetric, long Spent, long Reserved, long Impressions, long Clicks)> StateAsync(BidderHost host, string campaignId)
    {
        Assert.True(host.Services.GetRequiredService<IBudgetLedger>().TryRead(campaignId, out var balance));
        var counts = host.Services.GetRequiredService<OutcomeCounts>().Snapshot();
        return (await MetricAsync(host, "bidengine_spend_currency_units_total"), balance.SpentNanos, balance.ReservedNanos, counts.Sum(c => c.Impressions), counts.Sum(c => c.Clicks));
    }

    private static string TokenOf(string url)
    {
        var start = url.IndexOf("?t=", StringComparison.Ordinal) + 3;
        var end = url.IndexOf('&', start);
        return end < 0 ? url[start..] : url[start..end];
    }

    /// <summary>The URL with one character of its token changed.</summary>
    private static string Altered(string url, int at)
    {
        var token = TokenOf(url);
        var altered = token[..at] + (token[at] == 'x' ? 'y' : 'x') + token[(at + 1)..];
        return url.Replace(token, altered, StringComparison.Ordinal);
    }

    private static async Task<double> RefusedTokensAsync(BidderHost host) =>
        await MetricAsync(host, "bidengine_notices_refused_total{reason=\"bad_token\"}") + await MetricAsync(host, "bidengine_notices_refused_total{reason=\"unknown_key\"}");

    private static string Price(double cpm) => cpm.ToString("0.####", CultureInfo.InvariantCulture);

    [Fact]
    public async Task ForgedAlteredAndOverpricedNoticesAreRefusedWith403AndChangeNothing()
    {
        await using var host = await StartAsync();
        var bid = await BidAsync(host);
        var before = await StateAsync(host, bid.CampaignId);

        // A character changed anywhere in the token, a win token sent as a billing one, the click token
        // (public, in the page) sent as a billing one, and a clearing price above the bid.
        var token = TokenOf(bid.Burl);
        foreach (var at in new[] { 0, 1, 5, token.Length / 2, token.Length - 1 })
        {
            Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(host, Altered(bid.Burl, at)));
        }

        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(host, bid.Burl.Replace(TokenOf(bid.Burl), TokenOf(bid.Nurl), StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(host, bid.Burl.Replace(TokenOf(bid.Burl), TokenOf(bid.ClickUrl!), StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(host, bid.Burl, price: Price(bid.Price + 0.0001)));
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(host, bid.Burl, price: "100000"));
        using (var refused = await host.Client.GetAsync(Local(bid.Burl, price: "100000")))
        {
            Assert.Equal("{\"error\":\"price_above_bid\"}", await refused.Content.ReadAsStringAsync());
        }

        Assert.Equal(before, await StateAsync(host, bid.CampaignId));
        // A change in the token's first bytes changes the key id it names: refused as an unknown key.
        Assert.Equal(7, await RefusedTokensAsync(host));
        Assert.Equal(3, await MetricAsync(host, "bidengine_notices_refused_total{reason=\"price_above_bid\"}"));
        Assert.Equal(0, await MetricAsync(host, "bidengine_billing_total{outcome=\"settled\"}"));

        // Nothing was marked either: the honest notice still counts, at the bid's own price.
        Assert.Equal(HttpStatusCode.NoContent, await CallAsync(host, bid.Burl, price: Price(bid.Price)));
        var after = await StateAsync(host, bid.CampaignId);
        Assert.Equal((Money.PerImpressionFromCpm(bid.Price), 1L), (after.Spent - before.Spent, after.Impressions));
    }

    [Fact]
    public async Task AnExpiredNoticeIsRefusedAndSpendsNothing()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var host = await StartAsync(clock, more: "--BidEngine:Notices:TokenLifetimeSeconds=60");
        var bid = await BidAsync(host);
        var before = await StateAsync(host, bid.CampaignId);

        clock.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(host, bid.Burl));
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(host, bid.Nurl));
        Assert.Equal(before, await StateAsync(host, bid.CampaignId));
        Assert.Equal(2, await MetricAsync(host, "bidengine_notices_refused_total{reason=\"expired\"}"));
    }

    [Fact]
    public async Task EightSendersFiringTheSameBurlSpendOneClearingPriceAndCountOneImpression()
    {
        await using var host = await StartAsync();
        var bid = await BidAsync(host);
        var before = await StateAsync(host, bid.CampaignId);
        var clearing = Math.Round(bid.Price / 2, 4);

        // 8 senders at once, each firing the same burl 5 times; 8 more at the same time send it altered,
        // over-priced, or as another bid's win token.
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var honest = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await go.Task;
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 5; i++)
            {
                statuses.Add(await CallAsync(host, bid.Burl, price: Price(clearing)));
            }

            return statuses;
        })).ToArray();
        var hostile = Enumerable.Range(0, 8).Select(s => Task.Run(async () =>
        {
            await go.Task;
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 5; i++)
            {
                statuses.Add(await CallAsync(host, Altered(bid.Burl, (s * 5) + i)));
                statuses.Add(await CallAsync(host, bid.Burl, price: "9999"));
            }

            return statuses;
        })).ToArray();
        go.SetResult();

        Assert.All((await Task.WhenAll(honest)).SelectMany(s => s), s => Assert.Equal(HttpStatusCode.NoContent, s));
        Assert.All((await Task.WhenAll(hostile)).SelectMany(s => s), s => Assert.Equal(HttpStatusCode.Forbidden, s));

        var after = await StateAsync(host, bid.CampaignId);
        Assert.Equal(Money.PerImpressionFromCpm(clearing), after.Spent - before.Spent);
        Assert.Equal(clearing / 1000, after.SpendMetric - before.SpendMetric, 12);
        Assert.Equal(1, after.Impressions - before.Impressions);
        Assert.Equal(1, await MetricAsync(host, "bidengine_notices_total{kind=\"imp\"}"));
        Assert.Equal(39, await MetricAsync(host, "bidengine_notices_refused_total{reason=\"replayed\"}"));
        Assert.Equal(40, await RefusedTokensAsync(host));
        Assert.Equal(40, await MetricAsync(host, "bidengine_notices_refused_total{reason=\"price_above_bid\"}"));
        Assert.Equal(1, await MetricAsync(host, "bidengine_billing_total{outcome=\"settled\"}"));
    }

    [Fact]
    public async Task AClickWithoutABilledImpressionIsRefusedAndAClickCountsOncePerImpression()
    {
        await using var host = await StartAsync();
        var bid = await BidAsync(host);

        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(host, bid.ClickUrl!));
        Assert.Equal(0, (await StateAsync(host, bid.CampaignId)).Clicks);

        Assert.Equal(HttpStatusCode.NoContent, await CallAsync(host, bid.Burl));
        Assert.Equal(HttpStatusCode.NoContent, await CallAsync(host, bid.ClickUrl!));
        Assert.Equal(HttpStatusCode.NoContent, await CallAsync(host, bid.ClickUrl!));

        Assert.Equal(1, (await StateAsync(host, bid.CampaignId)).Clicks);
        Assert.Equal(1, await MetricAsync(host, "bidengine_notices_refused_total{reason=\"no_billed_impression\"}"));
        Assert.Equal(1, await MetricAsync(host, "bidengine_notices_refused_total{reason=\"replayed\"}"));
    }

    [Fact]
    public async Task ThePreviousKeyStillVerifiesAfterARotationAndAnUnknownKeyDoesNot()
    {
        // Three bidders of a fleet on one clock: the old key, the new key with the old as previous, the new key alone.
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var old = await StartAsync(clock);
        await using var rotated = await StartAsync(clock, more: ["--BidEngine:Notices:SigningKey=" + KeyB, "--BidEngine:Notices:PreviousSigningKey=" + KeyA]);
        await using var retired = await StartAsync(clock, more: "--BidEngine:Notices:SigningKey=" + KeyB);
        var bid = await BidAsync(old);

        Assert.Equal(HttpStatusCode.NoContent, await CallAsync(rotated, bid.Nurl));
        Assert.Equal(1, await MetricAsync(rotated, "bidengine_notices_total{kind=\"win\"}"));

        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(retired, bid.Nurl));
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(retired, bid.Burl));
        Assert.Equal(2, await MetricAsync(retired, "bidengine_notices_refused_total{reason=\"unknown_key\"}"));
        Assert.Equal(0, await MetricAsync(retired, "bidengine_notices_total{kind=\"win\"}"));

        // And the new key's own tokens verify where it is current.
        var fresh = await BidAsync(rotated);
        Assert.Equal(HttpStatusCode.NoContent, await CallAsync(retired, fresh.Nurl));
    }

    [Fact]
    public async Task ALossReleasesTheReservationAndTeachesTheShadingAndAFirstPriceWinIsObservedOnce()
    {
        var shading = new RecordingShading();
        await using var host = await StartAsync(shading: shading);
        var lost = await BidAsync(host, FirstPriceBanner);
        var won = await BidAsync(host, FirstPriceBanner);
        var secondPrice = await BidAsync(host);
        var reserved = (await StateAsync(host, lost.CampaignId)).Reserved;
        Assert.True(reserved > 0);

        Assert.Equal(HttpStatusCode.NoContent, await CallAsync(host, lost.Lurl, loss: "102", minToWin: Price(lost.Price + 0.5)));
        Assert.Equal(HttpStatusCode.NoContent, await CallAsync(host, secondPrice.Lurl, loss: "102"));

        // Both reservations are free again; only the first-price loss reached the shading, with its value and min-to-win.
        var state = await StateAsync(host, lost.CampaignId);
        Assert.Equal(reserved - Money.PerImpressionFromCpm(lost.Price) - Money.PerImpressionFromCpm(secondPrice.Price), state.Reserved);
        var loss = Assert.Single(shading.Losses);
        Assert.Equal((lost.CampaignId, lost.Price, 102, (double?)Math.Round(lost.Price + 0.5, 4)), (loss.Campaign, loss.BidCpm, loss.Reason, loss.MinToWin));
        Assert.True(loss.ValueCpm > loss.BidCpm, $"value {loss.ValueCpm} is the unshaded expected value, above the shaded bid {loss.BidCpm}");

        // A lost bid is never billed afterwards.
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(host, lost.Burl));
        Assert.Equal(0, (await StateAsync(host, lost.CampaignId)).Spent);

        // The won one: its win and its billing tell the shading once.
        Assert.Equal(HttpStatusCode.NoContent, await CallAsync(host, won.Nurl, price: "1", minToWin: "0.9"));
        Assert.Equal(HttpStatusCode.NoContent, await CallAsync(host, won.Burl, price: "1"));
        Assert.Equal((won.CampaignId, won.Price, (double?)0.9), (Assert.Single(shading.Wins).Campaign, shading.Wins.Single().BidCpm, shading.Wins.Single().MinToWin));
        Assert.Equal(1, await MetricAsync(host, "bidengine_notices_total{kind=\"loss\"}") - 1);
        Assert.Equal(1, await MetricAsync(host, "bidengine_notices_refused_total{reason=\"conflict\"}"));
    }

    [Fact]
    public async Task ABurlWhosePriceMacroWasNotSubstitutedGets400NamingIt()
    {
        await using var host = await StartAsync();
        var bid = await BidAsync(host);

        using var response = await host.Client.GetAsync(bid.Burl[BaseUrl.Length..]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"field\":\"p\"", body, StringComparison.Ordinal);
        Assert.Contains("unsubstituted_macro", body, StringComparison.Ordinal);
        Assert.Contains("AUCTION_PRICE", body, StringComparison.Ordinal);
        Assert.Equal(0, (await StateAsync(host, bid.CampaignId)).Spent);
    }
}
