using BidEngine.Core.Campaigns;
using BidEngine.Core.Currency;

namespace BidEngine.Core.Tests;

internal static class TestCampaigns
{
    public static Creative Banner(string id, int w, int h) => new(id, CreativeKind.Banner, w, h, "<img>", null, [], 0);

    public static Creative Video(string id, int seconds, params string[] mimes) => new(id, CreativeKind.Video, 640, 480, null, "https://n.example/v", mimes, seconds);

    public static Campaign Campaign(
        string id,
        Creative[] creatives,
        double valuePerClick = 1.0,
        double maxBidCpm = 10.0,
        double ctrPrior = 0.002,
        Targeting? targeting = null,
        string[]? adomain = null,
        string[]? cat = null,
        string? appBundle = null) =>
        new(id, adomain ?? [id + ".example"], cat ?? ["IAB1"], valuePerClick, maxBidCpm, ctrPrior, targeting ?? Targeting.Any, creatives, "seat1", appBundle);

    public static CurrencyTable Currencies { get; } = new(new Dictionary<string, double> { ["EUR"] = 1.10, ["JPY"] = 0.007 });

    public static CampaignSnapshot Snapshot(params Campaign[] campaigns) => new(campaigns, Currencies);

    /// <summary>The shipped sample campaigns, found beside the repository root.</summary>
    public static IReadOnlyList<Campaign> Samples()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, "config", "campaigns.json");
            if (File.Exists(file) && File.Exists(Path.Combine(dir.FullName, "BidEngine.sln")))
            {
                return CampaignLoader.LoadFile(file);
            }
        }

        throw new FileNotFoundException("config/campaigns.json");
    }
}
