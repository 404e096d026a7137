using BidEngine.Core.Campaigns;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Training.Tests;

internal static class TestRequests
{
    public static readonly DateTime Noon = new(2025, 3, 5, 12, 30, 0, DateTimeKind.Utc); // a Wednesday

    public static IReadOnlyList<Campaign> Campaigns { get; } = CampaignLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "campaigns.json"));

    public static Campaign Acme => Campaigns.Single(c => c.Id == "cmp-acme-display");

    public static Creative Acme300x250 => Acme.Creatives.Single(c => c.Id == "acme-300x250");

    /// <summary>A site request with one 300x250 banner imp, device and geo filled in.</summary>
    public static BidRequest Site(string domain = "news.example", int? utcOffset = -300, string os = "iOS", string country = "USA")
    {
        var r = new BidRequest();
        r.Id = r.Text.Append("req-1"u8);
        r.Site.Present = true;
        r.Site.Domain = r.Text.Append(System.Text.Encoding.UTF8.GetBytes(domain));
        r.Site.PublisherId = r.Text.Append("pub-7"u8);
        var imp = r.Imps.Add();
        imp.Id = r.Text.Append("1"u8);
        imp.TagId = r.Text.Append("news/top"u8);
        imp.Banner.Present = true;
        imp.Banner.W = 300;
        imp.Banner.H = 250;
        imp.Banner.Pos = 1;
        r.Device.Present = true;
        r.Device.DeviceType = 4;
        r.Device.Os = r.Text.Append(System.Text.Encoding.UTF8.GetBytes(os));
        r.Device.Make = r.Text.Append("Apple"u8);
        r.Device.Geo.Present = true;
        r.Device.Geo.Country = r.Text.Append(System.Text.Encoding.UTF8.GetBytes(country));
        r.Device.Geo.Region = r.Text.Append("NY"u8);
        r.Device.Geo.UtcOffset = utcOffset;
        return r;
    }
}
