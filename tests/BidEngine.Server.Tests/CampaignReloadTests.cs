using System.Net;
using System.Text.Json.Nodes;

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
            Assert.Equal(HttpStatusCode.OK, await Status(host));

            // Every campaign but the video one goes: the banner request now finds no candidate.
            var json = JsonNode.Parse(original)!;
            var campaigns = json["campaigns"]!.AsArray();
            foreach (var campaign in campaigns.Where(c => (string?)c!["id"] != "cmp-initech-video").ToList())
            {
                campaigns.Remove(campaign);
            }

            await File.WriteAllTextAsync(file, json.ToJsonString());
            Assert.True(await Eventually(async () => await Status(host) == HttpStatusCode.NoContent), "the new campaigns were not applied");

            // A broken file is refused: the bidder keeps the last good campaigns.
            await File.WriteAllTextAsync(file, "{ this is not json");
            await Task.Delay(1000);
            Assert.Equal(HttpStatusCode.NoContent, await Status(host));

            await File.WriteAllTextAsync(file, original);
            Assert.True(await Eventually(async () => await Status(host) == HttpStatusCode.OK), "the restored campaigns were not applied");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
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
