using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using BidEngine.Core.Events;
using BidEngine.Core.Notices;
using BidEngine.Core.Privacy;

namespace BidEngine.Server.Tests.Privacy;

/// <summary>
/// The consent step over real HTTP: each outcome (no bid with its <c>nbr</c>; a bid without user
/// data, whose notice names no user and whose billing counts toward no user's cap; a bid with it),
/// each signal in each of its forms, the reason in the bid log and the counts at <c>/metrics</c>.
/// Our GVL id is 901; the TC and GPP strings are the IAB libraries' (tests/Shared/Privacy/fixtures.json).
/// </summary>
public sealed partial class ConsentOverHttpTests : IDisposable
{
    private const string BaseUrl = "https://bidder.example.com";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("bidengine-consent-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static string Tcf(string name) => PrivacyFixtures.TcfNamed(name).String;

    private static string Gpp(string name) => PrivacyFixtures.GppNamed(name).String;

    private string LogFolder => Path.Combine(_folder.FullName, "log");

    /// <summary>One campaign, capped at one billed impression per user an hour (requests naming no user bid), bidding 5 CPM.</summary>
    private async Task<BidderHost> StartAsync(params string[] extra)
    {
        var config = Path.Combine(_folder.FullName, "config");
        Directory.CreateDirectory(config);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "config", "bidengine.json"), Path.Combine(config, "bidengine.json"), overwrite: true);
        var campaign = new JsonObject
        {
            ["id"] = "capped",
            ["adomain"] = new JsonArray("capped.example"),
            ["valuePerClick"] = 10,
            ["maxBidCpm"] = 5,
            ["ctrPrior"] = 0.5,
            ["frequencyCap"] = new JsonObject { ["impressions"] = 1, ["windowSeconds"] = 3600, ["unknownUsers"] = "bid" },
            ["creatives"] = new JsonArray(new JsonObject { ["id"] = "capped-300x250", ["kind"] = "banner", ["w"] = 300, ["h"] = 250, ["adm"] = "<img src=\"https://capped.example/a.png\">" }),
        };
        await File.WriteAllTextAsync(Path.Combine(config, "campaigns.json"), new JsonObject { ["campaigns"] = new JsonArray(campaign) }.ToJsonString());
        var host = BidderHost.With([
            "--config", config, "--BidEngine:UseModel=false", "--BidEngine:ReloadCampaigns=false",
            "--BidEngine:Notices:BaseUrl=" + BaseUrl, "--BidEngine:Notices:RefreshSeconds=3600",
            "--BidEngine:Http:NoBidWithBody=true", "--BidEngine:Privacy:VendorId=901",
            "--BidEngine:EventLog:Folder=" + LogFolder, "--BidEngine:EventLog:FlushIntervalMs=50", "--BidEngine:EventLog:SampleNoBids=1", .. extra]);
        await host.InitializeAsync();
        return host;
    }

    /// <summary>A 300x250 request in Germany with the given user, regs and device fields (JSON object bodies without braces).</summary>
    private static string Request(string id, string user = "", string regs = "", string device = "") =>
        "{\"id\":\"" + id + "\",\"at\":2,\"cur\":[\"USD\"],\"imp\":[{\"id\":\"1\",\"banner\":{\"w\":300,\"h\":250}}],"
        + "\"site\":{\"id\":\"s1\",\"domain\":\"news.example\",\"publisher\":{\"id\":\"p1\"}},"
        + "\"device\":{\"devicetype\":2,\"ip\":\"203.0.113.77\",\"geo\":{\"country\":\"DEU\",\"lat\":52.52,\"lon\":13.4}" + (device.Length > 0 ? "," + device : "") + "},"
        + "\"user\":{" + user + "},\"regs\":{" + regs + "}}";

    private static string Consent(string name) => $"\"consent\":\"{Tcf(name)}\"";

    private static string ExtConsent(string name) => $"\"ext\":{{\"consent\":\"{Tcf(name)}\"}}";

    /// <summary>What the bidder answered: a bid's burl and its user key, or a no-bid and its nbr.</summary>
    private sealed record Answer(string? Burl, ulong User, int Nbr)
    {
        public bool Bid => Burl is not null;
    }

    private static async Task<Answer> SendAsync(BidderHost host, string request)
    {
        using var response = await host.Client.SendAsync(BidRequests.Post(request));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = doc.RootElement;
        if (!root.TryGetProperty("seatbid", out var seatbid))
        {
            return new Answer(null, 0, root.GetProperty("nbr").GetInt32());
        }

        var burl = seatbid[0].GetProperty("bid")[0].GetProperty("burl").GetString()!;
        return new Answer(burl, UserOf(host, burl), 0);
    }

    /// <summary>The user key the billing notice's signed token carries (0: none).</summary>
    private static ulong UserOf(BidderHost host, string burl)
    {
        var token = Uri.UnescapeDataString(TokenParameter().Match(burl).Groups[1].Value);
        var buffer = new byte[NoticeToken.MaxBytes];
        Assert.Equal(TokenCheck.Valid, NoticeToken.TryRead(token, NoticeKind.Impression, host.Services.GetRequiredService<NoticeSigner>(), buffer, out var claims));
        return claims.User;
    }

    private static async Task BillAsync(BidderHost host, Answer answer)
    {
        using var response = await host.Client.GetAsync(answer.Burl![BaseUrl.Length..].Replace("${AUCTION_PRICE}", "0.01", StringComparison.Ordinal).Replace("${AUCTION_CURRENCY}", "USD", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task AnUnsignalledRequestFromTheEeaIsUnderGdprOnlyWhenTheSettingSaysSo()
    {
        var fromGermany = Request("eea-unsignalled", "\"id\":\"u\"");
        var fromUsa = fromGermany.Replace("\"DEU\"", "\"USA\"", StringComparison.Ordinal);
        var withConsent = Request("eea-consented", "\"id\":\"u\"," + Consent("tcf22-dense-with-901"));
        var saidNo = Request("eea-gdpr-0", "\"id\":\"u\"", "\"gdpr\":0");

        // The default trusts the exchange: no regs.gdpr, no GDPR.
        await using (var host = await StartAsync())
        {
            Assert.True((await SendAsync(host, fromGermany)).Bid);
        }

        await using (var host = await StartAsync("--BidEngine:Privacy:GdprWhenUnsignalled=AppliesInEea"))
        {
            var refused = await SendAsync(host, fromGermany);
            Assert.Equal((false, PrivacyDecision.ConsentNoBidReason), (refused.Bid, refused.Nbr));
            Assert.True((await SendAsync(host, withConsent)).Bid);
            Assert.True((await SendAsync(host, fromUsa)).Bid);
            Assert.True((await SendAsync(host, saidNo)).Bid);
            var metrics = await host.Management.GetStringAsync("/metrics");
            Assert.Equal(1, PrometheusText.Value(metrics, "bidengine_privacy_reasons_total{reason=\"consent_missing_in_eea\"}"));
        }
    }

    [Fact]
    public async Task WithoutALegalBasisForBasicAdsTheAnswerIsANoBidWithTheConsentNbrCountedAndLogged()
    {
        (string Id, string User, string Regs, PrivacyReason Reason)[] refusals =
        [
            ("no-string-26", "\"id\":\"u\"", "\"gdpr\":1", PrivacyReason.ConsentMissing),
            ("no-string-25", "\"id\":\"u\"", "\"ext\":{\"gdpr\":1}", PrivacyReason.ConsentMissing),
            ("garbage", "\"consent\":\"not-a-consent-string\"", "\"gdpr\":1", PrivacyReason.ConsentUnreadable),
            ("no-purpose-2", Consent("tcf22-no-purpose2"), "\"gdpr\":1", PrivacyReason.NoBasicAdsBasis),
            ("no-purpose-2-25", ExtConsent("tcf22-no-purpose2"), "\"ext\":{\"gdpr\":1}", PrivacyReason.NoBasicAdsBasis),
            ("not-our-vendor", Consent("tcf22-vendor-without-consent"), "\"gdpr\":1", PrivacyReason.NoBasicAdsBasis),
            ("publisher-forbids", Consent("tcf22-publisher-restrictions"), "\"gdpr\":1", PrivacyReason.NoBasicAdsBasis),
            ("v23-undisclosed-li", Consent("tcf23-li-not-disclosed"), "\"gdpr\":1", PrivacyReason.NoBasicAdsBasis),
            ("v23-without-disclosed", Consent("tcf23-without-disclosed"), "\"gdpr\":1", PrivacyReason.DisclosedVendorsMissing),
            ("gpp-sid-2-without-tc", "", $"\"gpp\":\"{Gpp("gpp-usnat-no-opt-out")}\",\"gpp_sid\":[2]", PrivacyReason.ConsentMissing),
        ];

        await using (var host = await StartAsync())
        {
            foreach (var (id, user, regs, _) in refusals)
            {
                var answer = await SendAsync(host, Request(id, user, regs));
                Assert.False(answer.Bid, id);
                Assert.Equal(PrivacyDecision.ConsentNoBidReason, answer.Nbr);
            }

            // A no-bid for another reason (no campaign for the size) keeps its own nbr.
            var other = await SendAsync(host, Request("other").Replace("\"w\":300", "\"w\":301", StringComparison.Ordinal));
            Assert.Equal((false, 0), (other.Bid, other.Nbr));

            var metrics = await host.Management.GetStringAsync("/metrics");
            Assert.Equal(refusals.Length, PrometheusText.Value(metrics, "bidengine_privacy_decisions_total{outcome=\"no_bid\"}"));
            Assert.Equal(3, PrometheusText.Value(metrics, "bidengine_privacy_reasons_total{reason=\"consent_missing\"}"));
            Assert.Equal(5, PrometheusText.Value(metrics, "bidengine_privacy_reasons_total{reason=\"no_basic_ads_basis\"}"));
            Assert.Equal(1, PrometheusText.Value(metrics, "bidengine_privacy_reasons_total{reason=\"disclosed_vendors_missing\"}"));
        }

        var noBids = new List<NoBidEvent>();
        await foreach (var record in EventLogFolder.ReadAllAsync(LogFolder))
        {
            if (record is NoBidEvent noBid)
            {
                noBids.Add(noBid);
            }
        }

        foreach (var (id, _, _, reason) in refusals)
        {
            Assert.Equal(reason, Assert.Single(noBids, n => n.RequestId == id).PrivacyReason);
        }

        Assert.Equal(PrivacyReason.None, Assert.Single(noBids, n => n.RequestId == "other").PrivacyReason);
    }

    [Fact]
    public async Task WithoutConsentForPersonalisationTheBidNamesNoUserAndItsBillingCountsTowardNoCap()
    {
        var full = Consent("tcf22-dense-with-901");
        var contextual = Consent("tcf22-li-purpose2-only");
        await using (var host = await StartAsync())
        {
            // Consent to everything: the notice carries alice's key and, billed, caps her at one.
            var first = await SendAsync(host, Request("full-1", "\"id\":\"alice\"," + full, "\"gdpr\":1"));
            Assert.True(first.Bid);
            Assert.NotEqual(0UL, first.User);
            await BillAsync(host, first);
            Assert.False((await SendAsync(host, Request("full-2", "\"id\":\"alice\"," + full, "\"gdpr\":1"))).Bid);

            // Basic ads by legitimate interest only: bob still gets bids, his notices name nobody,
            // and billing them counts toward no cap, his or anyone's.
            for (var i = 0; i < 3; i++)
            {
                var bid = await SendAsync(host, Request($"contextual-{i}", "\"id\":\"bob\",\"buyeruid\":\"b\",\"yob\":1970," + contextual, "\"gdpr\":1", "\"ifa\":\"ifa-bob\""));
                Assert.True(bid.Bid);
                Assert.Equal(0UL, bid.User);
                await BillAsync(host, bid);
            }

            var bob = await SendAsync(host, Request("full-bob", "\"id\":\"bob\"," + full, "\"gdpr\":1"));
            Assert.True(bob.Bid, "bob's billed impressions without consent were counted toward his cap");
            Assert.NotEqual(0UL, bob.User);

            var metrics = await host.Management.GetStringAsync("/metrics");
            Assert.Equal(3, PrometheusText.Value(metrics, "bidengine_privacy_decisions_total{outcome=\"no_user_data\"}"));
            Assert.Equal(3, PrometheusText.Value(metrics, "bidengine_privacy_decisions_total{outcome=\"full\"}"));
            Assert.Equal(3, PrometheusText.Value(metrics, "bidengine_privacy_reasons_total{reason=\"no_personalisation_consent\"}"));
        }

        var bids = new List<BidEvent>();
        await foreach (var record in EventLogFolder.ReadAllAsync(LogFolder))
        {
            if (record is BidEvent bid)
            {
                bids.Add(bid);
            }
        }

        Assert.All(bids.Where(b => b.RequestId.StartsWith("contextual-", StringComparison.Ordinal)), b => Assert.Equal(PrivacyReason.NoPersonalisationConsent, b.PrivacyReason));
        Assert.Equal(3, bids.Count(b => b.RequestId.StartsWith("contextual-", StringComparison.Ordinal)));
        Assert.Equal(PrivacyReason.None, Assert.Single(bids, b => b.RequestId == "full-1").PrivacyReason);
    }

    public static TheoryData<string, string, string, string, bool> SignalForms() => new()
    {
        // name, user fields, regs fields, device fields, personalised?
        { "tcf 2.6 user.consent, every purpose", "\"id\":\"u1\"," + Consent("tcf22-dense-with-901"), "\"gdpr\":1", "", true },
        { "tcf 2.5 user.ext.consent, every purpose", "\"id\":\"u2\"," + ExtConsent("tcf22-dense-with-901"), "\"ext\":{\"gdpr\":1}", "", true },
        { "tcf range encoding, v2.3 with disclosed vendors", "\"id\":\"u3\"," + Consent("tcf23-disclosed-full"), "\"gdpr\":1", "", true },
        { "tcf 2.6, no purposes 3/4", "\"id\":\"u4\"," + Consent("tcf22-li-purpose2-only"), "\"gdpr\":1", "", false },
        { "tcf 2.5, no purposes 3/4", "\"id\":\"u5\"," + ExtConsent("tcf22-li-purpose2-only"), "\"ext\":{\"gdpr\":1}", "", false },
        { "tcf as gpp section 2", "\"id\":\"u6\"", $"\"gpp\":\"{Gpp("gpp-tcfeuv2-and-usnat")}\",\"gpp_sid\":[2]", "", true },
        { "gpp usnat, no opt-out", "\"id\":\"u7\"", $"\"gpp\":\"{Gpp("gpp-usnat-no-opt-out")}\",\"gpp_sid\":[7]", "", true },
        { "gpp usnat, sale opt-out", "\"id\":\"u8\"", $"\"gpp\":\"{Gpp("gpp-usnat-sale-opt-out")}\",\"gpp_sid\":[7]", "", false },
        { "gpp usca state section, sharing opt-out", "\"id\":\"u9\"", $"\"gpp\":\"{Gpp("gpp-usca-sharing-opt-out")}\",\"gpp_sid\":[8]", "", false },
        { "us_privacy 2.6, opted out", "\"id\":\"u10\"", "\"us_privacy\":\"1YYN\"", "", false },
        { "us_privacy 2.5 ext, opted out", "\"id\":\"u11\"", "\"ext\":{\"us_privacy\":\"1YYN\"}", "", false },
        { "us_privacy, not opted out", "\"id\":\"u12\"", "\"us_privacy\":\"1YNN\"", "", true },
        { "coppa", "\"id\":\"u13\"", "\"coppa\":1", "\"ifa\":\"ifa-13\"", false },
        { "lmt, device id only", "", "", "\"lmt\":1,\"ifa\":\"ifa-14\"", false },
        { "no signal, device id only", "", "", "\"ifa\":\"ifa-15\"", true },
    };

    [Fact]
    public async Task EachSignalInEachFormDecidesWhetherTheBidCarriesTheUser()
    {
        await using var host = await StartAsync();
        var personalised = 0;
        foreach (var row in SignalForms())
        {
            var (name, user, regs, device, expected) = ((string)row[0], (string)row[1], (string)row[2], (string)row[3], (bool)row[4]);
            var answer = await SendAsync(host, Request(name.Replace(' ', '-'), user, regs, device));
            Assert.True(answer.Bid, $"{name}: no bid");
            Assert.True(expected == (answer.User != 0), $"{name}: expected {(expected ? "a user key" : "no user key")} in the notice, got u={answer.User}");
            personalised += expected ? 1 : 0;
        }

        var metrics = await host.Management.GetStringAsync("/metrics");
        Assert.Equal(personalised, PrometheusText.Value(metrics, "bidengine_privacy_decisions_total{outcome=\"full\"}"));
        Assert.Equal(SignalForms().Count - personalised, PrometheusText.Value(metrics, "bidengine_privacy_decisions_total{outcome=\"no_user_data\"}"));
        Assert.Equal(1, PrometheusText.Value(metrics, "bidengine_privacy_reasons_total{reason=\"coppa\"}"));
        Assert.Equal(1, PrometheusText.Value(metrics, "bidengine_privacy_reasons_total{reason=\"limit_ad_tracking\"}"));
        Assert.Equal(2, PrometheusText.Value(metrics, "bidengine_privacy_reasons_total{reason=\"us_privacy_opt_out\"}"));
        Assert.Equal(2, PrometheusText.Value(metrics, "bidengine_privacy_reasons_total{reason=\"gpp_opt_out\"}"));
    }

    [GeneratedRegex("[?&]t=([^&]+)")]
    private static partial Regex TokenParameter();
}
