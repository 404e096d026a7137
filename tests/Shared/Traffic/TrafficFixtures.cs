namespace BidEngine.Tests.Shared;

/// <summary>
/// Linked into the projects that test the traffic step: its fixture files (tests/Shared/Traffic: a
/// supply folder with sellers.json, ads.txt and app-ads.txt files, and a data-centre list) and a bid
/// request that passes every check, with a hook to change any part of it. The exchange of the
/// fixtures is exchange.example: news.example sells through it directly (seller pub-news), and
/// through ssp.example, which resells into it (seller ssp-resale).
/// </summary>
internal static class TrafficFixtures
{
    /// <summary>A browser's user agent (Chrome on Windows), matched by no bot pattern.</summary>
    public const string BrowserUa = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

    /// <summary>Googlebot's user agent, in the known-bot list.</summary>
    public const string GooglebotUa = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

    /// <summary>A complete chain of one node: news.example's own account at the exchange.</summary>
    public const string DirectChain = """{"complete":1,"ver":"1.0","nodes":[{"asi":"exchange.example","sid":"pub-news","hp":1}]}""";

    /// <summary>A complete chain of two: news.example's account at the SSP, the SSP's at the exchange.</summary>
    public const string ResoldChain = """{"complete":1,"ver":"1.0","nodes":[{"asi":"ssp.example","sid":"news-at-ssp","hp":1},{"asi":"exchange.example","sid":"ssp-resale","hp":1}]}""";

    public static string Folder { get; } = Path.Combine(RepositoryRoot(), "tests", "Shared", "Traffic");

    public static string SupplyFolder => Path.Combine(Folder, "supply");

    public static string DataCentres => Path.Combine(Folder, "datacentres.txt");

    public static string BotList => Path.Combine(RepositoryRoot(), "config", "ivt", "crawler-user-agents.json");

    /// <summary>
    /// A 300x250 banner on news.example (publisher pub-news) from a browser at 203.0.113.9, user u-1,
    /// sold directly (<see cref="DirectChain"/>). Each part is JSON without its braces and can be replaced.
    /// </summary>
    public static string Request(
        string id = "traffic-1",
        string? device = null,
        string? site = null,
        string? app = null,
        string? schain = DirectChain,
        string user = "\"id\":\"u-1\"",
        bool schain25 = false)
    {
        device ??= $"\"ua\":\"{BrowserUa}\",\"ip\":\"203.0.113.9\",\"devicetype\":2,\"os\":\"Windows\",\"geo\":{{\"country\":\"USA\"}}";
        site ??= "\"id\":\"s1\",\"domain\":\"news.example\",\"page\":\"https://news.example/world\",\"publisher\":{\"id\":\"pub-news\"}";
        var place = app is not null ? $"\"app\":{{{app}}}" : $"\"site\":{{{site}}}";
        var source = schain is null ? "\"tid\":\"t\"" : schain25 ? $"\"tid\":\"t\",\"ext\":{{\"schain\":{schain}}}" : $"\"tid\":\"t\",\"schain\":{schain}";
        return "{\"id\":\"" + id + "\",\"at\":2,\"tmax\":500,\"cur\":[\"USD\"],\"imp\":[{\"id\":\"1\",\"banner\":{\"w\":300,\"h\":250}}],"
            + place + ",\"device\":{" + device + "},\"user\":{" + user + "},\"source\":{" + source + "}}";
    }

    /// <summary>The device of <see cref="Request"/> with another user agent and addresses (null: left out).</summary>
    public static string Device(string? ua = BrowserUa, string? ip = "203.0.113.9", string? ipv6 = null, string extra = "") =>
        string.Join(',', new[]
        {
            ua is null ? null : $"\"ua\":{System.Text.Json.JsonSerializer.Serialize(ua)}",
            ip is null ? null : $"\"ip\":\"{ip}\"",
            ipv6 is null ? null : $"\"ipv6\":\"{ipv6}\"",
            "\"devicetype\":2,\"geo\":{\"country\":\"USA\"}",
            extra.Length == 0 ? null : extra,
        }.Where(p => p is not null));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BidEngine.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("no BidEngine.sln above " + AppContext.BaseDirectory);
    }
}
