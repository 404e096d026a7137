using System.Text.Json;
using BidEngine.Core.Campaigns;
using BidEngine.Training.Simulation;

namespace BidEngine.Training.ClosedLoop;

/// <summary>
/// The config folder the bidder runs the closed loop with: the simulated world's campaigns (the
/// configured ones plus the synthetic ones, the same ids and creatives the shipped model was trained
/// on) as <c>campaigns.json</c>, and a <c>bidengine.json</c> that points at it. Only what the
/// simulator models is written: value per click, max bid, prior CTR, country, device type and OS
/// targeting. Budgets, pacing, caps, flights and dayparting are left out, so that every eligible
/// impression gets a bid and the log shows the bidder's choice, not its budget. Every creative's
/// markup carries the click URL macro, so billed impressions can be clicked.
/// </summary>
internal static class LoopConfig
{
    public const string SettingsFile = "bidengine.json";

    public const string CampaignsFile = "campaigns.json";

    public static void Write(string folder, IReadOnlyList<Campaign> campaigns)
    {
        Directory.CreateDirectory(folder);
        using (var stream = File.Create(Path.Combine(folder, CampaignsFile)))
        {
            WriteCampaigns(stream, campaigns);
        }

        using (var stream = File.Create(Path.Combine(folder, SettingsFile)))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("Logging");
            json.WriteStartObject("LogLevel");
            json.WriteString("Default", "Warning");
            json.WriteString("Microsoft.Hosting.Lifetime", "Information");
            json.WriteString("BidEngine", "Information");
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartObject("BidEngine");
            json.WriteString("CampaignsPath", CampaignsFile);
            json.WriteEndObject();
            json.WriteEndObject();
        }
    }

    public static void WriteCampaigns(Stream output, IReadOnlyList<Campaign> campaigns)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartArray("campaigns");
        foreach (var c in campaigns)
        {
            json.WriteStartObject();
            json.WriteString("id", c.Id);
            json.WriteString("seat", c.Seat);
            Strings(json, "adomain", c.Adomain);
            Strings(json, "cat", c.Categories);
            json.WriteNumber("valuePerClick", c.ValuePerClick);
            json.WriteNumber("maxBidCpm", c.MaxBidCpm);
            json.WriteNumber("ctrPrior", c.CtrPrior);
            json.WriteStartObject("targeting");
            Strings(json, "countries", c.Targeting.Countries);
            json.WriteStartArray("deviceTypes");
            foreach (var d in c.Targeting.DeviceTypes)
            {
                json.WriteNumberValue(d);
            }

            json.WriteEndArray();
            Strings(json, "os", c.Targeting.Os);
            json.WriteEndObject();
            json.WriteStartArray("creatives");
            foreach (var cr in c.Creatives)
            {
                WriteCreative(json, cr);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteCreative(Utf8JsonWriter json, Creative cr)
    {
        json.WriteStartObject();
        json.WriteString("id", cr.Id);
        json.WriteString("kind", cr.Kind.ToString().ToLowerInvariant());
        json.WriteNumber("w", cr.W);
        json.WriteNumber("h", cr.H);
        const string Click = Creative.ClickUrlMacro;
        json.WriteString("adm", cr.Kind switch
        {
            CreativeKind.Banner => $"<a href=\"{Click}\"><img src=\"https://cdn.sim.example/{cr.Id}.png\" width=\"{cr.W}\" height=\"{cr.H}\"></a>",
            CreativeKind.Native => $"{{\"native\":{{\"ver\":\"1.2\",\"assets\":[{{\"id\":1,\"title\":{{\"text\":\"{cr.Id}\"}}}}],\"link\":{{\"url\":\"{Click}\"}}}}}}",
            _ => $"<VAST version=\"4.0\"><Ad id=\"{cr.Id}\"><InLine><Creatives><Creative><Linear><Duration>00:00:{Math.Clamp(cr.DurationSeconds, 1, 59):D2}</Duration>"
                + $"<VideoClicks><ClickThrough><![CDATA[{Click}]]></ClickThrough></VideoClicks></Linear></Creative></Creatives></InLine></Ad></VAST>",
        });
        if (cr.Mimes.Count > 0)
        {
            Strings(json, "mimes", cr.Mimes);
        }

        if (cr.DurationSeconds > 0)
        {
            json.WriteNumber("duration", cr.DurationSeconds);
        }

        json.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            json.WriteStringValue(v);
        }

        json.WriteEndArray();
    }

    /// <summary>The world the loop simulates: the campaigns of <paramref name="campaignsPath"/> and the synthetic ones of <paramref name="seed"/>.</summary>
    public static SimWorld World(int seed, string campaignsPath, int synthetic) =>
        new(seed, CampaignLoader.LoadFile(campaignsPath), syntheticCampaigns: synthetic);
}
