using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BidEngine.Core.Campaigns;

namespace BidEngine.Server.Tests;

/// <summary>What the notice tests share: a campaign file whose markup carries the click URL, a bid's notice URLs, and calling them as an exchange would.</summary>
internal static partial class NoticeCalls
{
    public const string BaseUrl = "https://bidder.example.com";

    /// <summary>A bid's id, price and notice URLs as the bidder wrote them (nurl, burl, lurl; the click URL from the markup, if any).</summary>
    public sealed record SignedBid(string Id, string CampaignId, string CreativeId, double Price, string Nurl, string Burl, string Lurl, string? ClickUrl);

    /// <summary>
    /// The sample campaigns with every markup link turned into the bidder's click URL, and no price
    /// cap within reach (so that a changed prior always shows in the price), written into <paramref name="folder"/>.
    /// </summary>
    public static async Task<string> WriteClickCampaignsAsync(string folder)
    {
        var path = Path.Combine(folder, "campaigns.json");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "config", "campaigns.json")))!;
        foreach (var campaign in json["campaigns"]!.AsArray())
        {
            campaign!["maxBidCpm"] = 1000;
        }

        foreach (var creative in json["campaigns"]!.AsArray().SelectMany(c => c!["creatives"]!.AsArray()))
        {
            if (creative!["adm"] is JsonValue adm)
            {
                creative["adm"] = Href().Replace(adm.GetValue<string>(), $"href=\"{Creative.ClickUrlMacro}\"");
            }
        }

        await File.WriteAllTextAsync(path, json.ToJsonString());
        return path;
    }

    /// <summary>Posts <paramref name="request"/> (the banner request by default) and reads the first bid's notice URLs.</summary>
    public static async Task<SignedBid> BidAsync(BidderHost host, string request = BidRequests.Banner)
    {
        using var response = await host.Client.SendAsync(BidRequests.Post(request));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var bid = doc.RootElement.GetProperty("seatbid")[0].GetProperty("bid")[0];
        var click = Href().Match(bid.TryGetProperty("adm", out var adm) ? adm.GetString() ?? "" : "");
        return new SignedBid(
            bid.GetProperty("id").GetString()!,
            bid.GetProperty("cid").GetString()!,
            bid.GetProperty("crid").GetString()!,
            bid.GetProperty("price").GetDouble(),
            bid.GetProperty("nurl").GetString()!,
            bid.GetProperty("burl").GetString()!,
            bid.GetProperty("lurl").GetString()!,
            click.Success && click.Groups[1].Value.StartsWith(BaseUrl, StringComparison.Ordinal) ? click.Groups[1].Value : null);
    }

    /// <summary>The path and query of a notice URL with the exchange's macros filled in, for the test host instead of the public name.</summary>
    public static string Local(string url, string price = "1.5", string currency = "USD", string loss = "102", string minToWin = "")
    {
        Assert.StartsWith(BaseUrl + "/openrtb2/notice/", url);
        return url[BaseUrl.Length..]
            .Replace("${AUCTION_PRICE}", price, StringComparison.Ordinal)
            .Replace("${AUCTION_CURRENCY}", currency, StringComparison.Ordinal)
            .Replace("${AUCTION_LOSS}", loss, StringComparison.Ordinal)
            .Replace("${AUCTION_MIN_TO_WIN}", minToWin, StringComparison.Ordinal);
    }

    /// <summary>Calls a notice URL; the status code.</summary>
    public static async Task<System.Net.HttpStatusCode> CallAsync(BidderHost host, string url, string price = "1.5", string loss = "102", string minToWin = "")
    {
        using var response = await host.Client.GetAsync(Local(url, price, loss: loss, minToWin: minToWin));
        return response.StatusCode;
    }

    /// <summary>The value of one series at /metrics; fails when the series is not there.</summary>
    public static async Task<double> MetricAsync(BidderHost host, string series) =>
        PrometheusText.Value(await host.Management.GetStringAsync("/metrics"), series);

    [GeneratedRegex("href=\"([^\"]*)\"")]
    public static partial Regex Href();
}
