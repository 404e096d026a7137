using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BidEngine.Server.Tests.State;

/// <summary>
/// What the tests of bidder processes (restarts, a fleet) send and read as an exchange would: a test
/// campaign file, a banner request, a bid's <c>burl</c>, a bill at 5 CPM, readiness.
/// </summary>
internal static class BidderProcessCalls
{
    /// <summary>The notice base URL every test here signs its bids under.</summary>
    public const string BaseUrl = "https://bidder.example.com";

    /// <summary>A campaign with one banner of <paramref name="w"/>×<paramref name="h"/> bidding exactly <paramref name="cpm"/> (its value is far above), plus <paramref name="rules"/>.</summary>
    public static JsonObject Campaign(string id, string rules = "{}", int w = 300, int h = 250, double cpm = 5)
    {
        var campaign = JsonNode.Parse(rules)!.AsObject();
        campaign["id"] = id;
        campaign["adomain"] = new JsonArray(id + ".example");
        campaign["cat"] = new JsonArray("IAB1");
        campaign["valuePerClick"] = 10;
        campaign["maxBidCpm"] = cpm;
        campaign["ctrPrior"] = 0.5;
        campaign["creatives"] = new JsonArray(new JsonObject
        {
            ["id"] = $"{id}-{w}x{h}",
            ["kind"] = "banner",
            ["w"] = w,
            ["h"] = h,
            ["adm"] = $"<img src=\"https://{id}.example/{w}x{h}.png\">",
        });
        return campaign;
    }

    /// <summary>A config folder with the shipped settings and these campaigns.</summary>
    public static void WriteConfig(string folder, params JsonObject[] campaigns)
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "config", "bidengine.json"), Path.Combine(folder, "bidengine.json"), overwrite: true);
        File.WriteAllText(Path.Combine(folder, "campaigns.json"), new JsonObject { ["campaigns"] = new JsonArray(campaigns) }.ToJsonString());
    }

    public static string Request(int w = 300, int h = 250, string? user = null) =>
        "{\"id\":\"r\",\"at\":2,\"cur\":[\"USD\"],\"imp\":[{\"id\":\"1\",\"banner\":{\"w\":" + w + ",\"h\":" + h + "}}],"
        + "\"site\":{\"id\":\"s1\",\"domain\":\"news.example\",\"publisher\":{\"id\":\"p1\"}},"
        + "\"device\":{\"devicetype\":2,\"os\":\"Linux\",\"geo\":{\"country\":\"USA\"}}"
        + (user is null ? "" : ",\"user\":{\"id\":\"" + user + "\"}") + "}";

    /// <summary>The bid's burl, or null for a no-bid.</summary>
    public static async Task<string?> BidAsync(HttpClient http, string request)
    {
        using var response = await http.PostAsync("/openrtb2/bid", new StringContent(request, Encoding.UTF8, "application/json"));
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return null;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("seatbid")[0].GetProperty("bid")[0].GetProperty("burl").GetString();
    }

    /// <summary>The exchange calls the burl with a clearing price of <paramref name="cpm"/> (5 by default) in USD.</summary>
    public static async Task<HttpStatusCode> BillAsync(HttpClient http, string burl, string cpm = "5")
    {
        using var response = await http.GetAsync(burl[BaseUrl.Length..].Replace("${AUCTION_PRICE}", cpm, StringComparison.Ordinal).Replace("${AUCTION_CURRENCY}", "USD", StringComparison.Ordinal));
        return response.StatusCode;
    }

    /// <summary>Waits for <c>/readyz</c> to answer 200, as a load balancer would; fails with the process's output after a minute.</summary>
    public static async Task WaitReadyAsync(ServerProcess server, HttpClient http)
    {
        for (var i = 0; i < 600; i++)
        {
            try
            {
                using var ready = await http.GetAsync("/readyz");
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException("The bidder did not turn ready: " + server.Output);
    }
}
