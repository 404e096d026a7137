using System.Net;
using System.Text.Json.Nodes;
using BidEngine.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace BidEngine.Server.Tests;

/// <summary>Campaign changes apply without a restart; a broken file is refused and bidding goes on.</summary>
public sealed class CampaignReloadTests
{
    [Fact]
    public async Task AppliesAChangedCampaignFileAndRefusesABrokenOne()
    {
        var folder = Directory.CreateTempSubdirectory("bidengine-campaigns-");
        var file = Path.Combine(folder.FullName, "campaigns.json");
        var original = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "config", "campaigns.json"));
        await File.WriteAllTextAsync(file, original);
        try
        {
            await using var host = BidderHost.With("--BidEngine:CampaignsPath=" + file);
            await host.InitializeAsync();
            var reloader = host.Services.GetRequiredService<CampaignReloader>();
            Assert.Equal(HttpStatusCode.OK, await Status(host));

            // Every campaign but the video one goes: the banner request now finds no candidate.
            var json = JsonNode.Parse(original)!;
            var campaigns = json["campaigns"]!.AsArray();
            foreach (var other in campaigns.Where(c => (string?)c!["id"] != "cmp-initech-video").ToList())
            {
                campaigns.Remove(other);
            }

            var videoOnly = json.ToJsonString();
            await File.WriteAllTextAsync(file, videoOnly);
            Assert.True(await Eventually(async () => await Status(host) == HttpStatusCode.NoContent), "the new campaigns were not applied");

            await File.WriteAllTextAsync(file, original);
            Assert.True(await Eventually(async () => await Status(host) == HttpStatusCode.OK), "the restored campaigns were not applied");
            var refusals = reloader.Refusals;

            // Broken files are refused while the banner campaigns bid: a reloader that took either
            // (as no campaigns, or as the video campaign alone) would turn the banner bid into a no-bid.
            // Not JSON at all:
            await File.WriteAllTextAsync(file, "{ this is not json");
            await RefusedAsync(reloader, refusals);
            Assert.Equal(HttpStatusCode.OK, await Status(host));

            // JSON, but a campaign breaks a rule: the whole file is refused, not only that campaign.
            json["campaigns"]![0]!["budget"]!["daily"] = -5;
            await File.WriteAllTextAsync(file, json.ToJsonString());
            await RefusedAsync(reloader, refusals + 1, "campaign 'cmp-initech-video'", "budget.daily");
            Assert.Equal(HttpStatusCode.OK, await Status(host));

            // The broken files changed nothing for the next good one.
            await File.WriteAllTextAsync(file, videoOnly);
            Assert.True(await Eventually(async () => await Status(host) == HttpStatusCode.NoContent), "a good file after a refused one was not applied");
            Assert.Null(reloader.LastRefusal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Waits until the reloader has refused a file since <paramref name="before"/> refusals, for a reason that says these things.</summary>
    private static async Task RefusedAsync(CampaignReloader reloader, long before, params string[] reason)
    {
        var refused = await Eventually(() => Task.FromResult(
            reloader.Refusals > before && reason.All(r => reloader.LastRefusal?.Contains(r, StringComparison.Ordinal) == true)));
        Assert.True(refused, $"no refusal naming {string.Join(" and ", reason)}: {reloader.Refusals - before} refusals, the last for '{reloader.LastRefusal}'");
    }

    [Fact]
    public async Task EditingTheCampaignFileInTheConfigFolderChangesTheBid()
    {
        // A config folder of its own, as an operator would pass it: settings and campaigns side by side.
        var folder = Directory.CreateTempSubdirectory("bidengine-config-");
        var shipped = Path.Combine(AppContext.BaseDirectory, "config");
        File.Copy(Path.Combine(shipped, "bidengine.json"), Path.Combine(folder.FullName, "bidengine.json"));
        var file = Path.Combine(folder.FullName, "campaigns.json");
        File.Copy(Path.Combine(shipped, "campaigns.json"), file);
        try
        {
            await using var host = BidderHost.With("--config", folder.FullName);
            await host.InitializeAsync();
            var before = await Bid(host);
            Assert.NotNull(before);
            var crid = before.Value.GetProperty("crid").GetString();

            // The creative that won gets new markup; nothing else changes, so the same creative wins with it.
            const string Edited = "<a href=\"https://edited.example/\">edited while running</a>";
            var json = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
            var creative = json["campaigns"]!.AsArray().SelectMany(c => c!["creatives"]!.AsArray()).Single(c => (string?)c!["id"] == crid)!;
            Assert.NotEqual(Edited, (string?)creative["adm"]);
            creative["adm"] = Edited;
            await File.WriteAllTextAsync(file, json.ToJsonString());

            Assert.True(
                await Eventually(async () => (await Bid(host))?.GetProperty("adm").GetString() == Edited),
                "an edit of campaigns.json in the config folder did not change the bid");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<System.Text.Json.JsonElement?> Bid(BidderHost host)
    {
        using var response = await host.Client.SendAsync(BidRequests.Post(BidRequests.Banner));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }

        using var doc = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("seatbid")[0].GetProperty("bid")[0].Clone();
    }

    private static async Task<HttpStatusCode> Status(BidderHost host)
    {
        using var response = await host.Client.SendAsync(BidRequests.Post(BidRequests.Banner));
        return response.StatusCode;
    }

    private static async Task<bool> Eventually(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
