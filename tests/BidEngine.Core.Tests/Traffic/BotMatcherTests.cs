using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BidEngine.Core.Traffic;
using CsCheck;

namespace BidEngine.Core.Tests.Traffic;

/// <summary>
/// The known-bot matcher made from the shipped crawler-user-agents list, against the list itself as
/// regular expressions, one by one (the slow, simple reading of what the list means).
/// </summary>
public sealed class BotMatcherTests
{
    private static readonly Lazy<(List<string> Patterns, List<string> Instances)> List = new(() =>
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(TrafficFixtures.BotList));
        var patterns = new List<string>();
        var instances = new List<string>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            patterns.Add(item.GetProperty("pattern").GetString()!);
            if (item.TryGetProperty("instances", out var list))
            {
                instances.AddRange(list.EnumerateArray().Select(i => i.GetString()!));
            }
        }

        return (patterns, instances);
    });

    private static readonly Lazy<BotMatcher> Matcher = new(() => BotMatcher.Load(TrafficFixtures.BotList));

    /// <summary>Each pattern on its own (the list as one alternation takes milliseconds a user agent: the runtime does not compile one that large).</summary>
    private static readonly Lazy<Regex[]> Reference = new(() => [.. List.Value.Patterns.Select(p => new Regex(p, RegexOptions.CultureInvariant))]);

    private static bool ReferenceMatch(string ua) => Reference.Value.Any(r => r.IsMatch(ua));

    /// <summary>User agents of browsers and apps, none of them a bot.</summary>
    public static readonly string[] People =
    [
        TrafficFixtures.BrowserUa,
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.113 Mobile Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
        "Dalvik/2.1.0 (Linux; U; Android 13; SM-S911B Build/TP1A.220624.014)",
        "Mozilla/5.0 (Linux; Android 10; BRAVIA 4K UR2 Build/PTT1.190515.001.S52) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 Mobile Safari/537.36",
        "Roku/DVP-12.5 (12.5.0.4178-C8)",
        "AppleCoreMedia/1.0.0.21E236 (iPhone; U; CPU OS 17_4_1 like Mac OS X; en_us)",
    ];

    [Fact]
    public void MatchesEveryInstanceTheListGivesForItsPatterns()
    {
        var missed = List.Value.Instances.Where(ua => !Matcher.Value.IsMatch(Encoding.UTF8.GetBytes(ua))).ToList();
        Assert.True(missed.Count == 0, "missed: " + string.Join(" | ", missed.Take(10)));
        Assert.True(List.Value.Instances.Count > 2000);
    }

    [Fact]
    public void MatchesNoBrowserOrApp()
    {
        foreach (var ua in People)
        {
            Assert.False(Matcher.Value.IsMatch(Encoding.UTF8.GetBytes(ua)), ua);
            Assert.False(ReferenceMatch(ua), ua);
        }
    }

    [Fact]
    public void AUserAgentSeenBeforeGetsTheSameAnswerFromTheCache()
    {
        var matcher = BotMatcher.Load(TrafficFixtures.BotList);
        var agents = List.Value.Instances.Take(500).Concat(People).Concat(Enumerable.Range(0, 20_000).Select(i => $"Mozilla/5.0 (X11; Linux x86_64; device {i})")).ToList();
        var first = agents.Select(ua => matcher.IsMatch(Encoding.UTF8.GetBytes(ua))).ToList();
        var again = agents.Select(ua => matcher.IsMatch(Encoding.UTF8.GetBytes(ua))).ToList();
        Assert.Equal(first, again);
        Assert.Equal(agents.Select(ua => matcher.Search(Encoding.UTF8.GetBytes(ua))), again);
        Assert.Equal(500, again.Count(bot => bot));
    }

    [Fact]
    public void MostPatternsAreMatchedAsTextAndTheRestByOneRegularExpression()
    {
        var matcher = Matcher.Value;
        Assert.Equal(List.Value.Patterns.Count, matcher.Patterns);
        Assert.True(matcher.TextPatterns > 0.95 * matcher.Patterns, $"{matcher.TextPatterns} of {matcher.Patterns} as text");
    }

    [Fact]
    public void AgreesWithTheListsRegularExpressionsOnMixedUserAgents()
    {
        // Pieces of bot user agents spliced into people's, cut and case-flipped: every pattern kind meets
        // its edges (anchors, classes, groups, the text a regular expression needs).
        var instances = List.Value.Instances;
        Gen.Select(Gen.Int[0, instances.Count - 1], Gen.Int[0, People.Length - 1], Gen.Int[0, 400], Gen.Int[0, 400], Gen.Int[0, 3]).Sample((i, p, cut, at, mode) =>
        {
            var bot = instances[i];
            var person = People[p];
            var piece = bot[(cut % bot.Length)..];
            var ua = mode switch
            {
                0 => person.Insert(at % person.Length, piece),
                1 => piece,
                2 => bot[..Math.Max(1, cut % bot.Length)],
                _ => bot.ToLowerInvariant(),
            };
            Assert.Equal(ReferenceMatch(ua), Matcher.Value.IsMatch(Encoding.UTF8.GetBytes(ua)));
        }, iter: 2_000);
    }

    [Theory]
    [InlineData("^curl", "curl/8.5.0", true)]
    [InlineData("^curl", "not curl/8.5.0", false)]
    [InlineData("SSL Labs$", "SSL Labs", true)]
    [InlineData("SSL Labs$", "SSL Labs (x)", false)]
    [InlineData("[wW]get", "Wget/1.21", true)]
    [InlineData("(sistrix|SISTRIX) [cC]rawler", "SISTRIX Crawler", true)]
    [InlineData("AdsBot-Google([^-]|$)", "AdsBot-Google-Mobile", false)]
    [InlineData("AdsBot-Google([^-]|$)", "AdsBot-Google (+http://x)", true)]
    [InlineData("AdsBot-Google([^-]|$)", "AdsBot-Google", true)]
    [InlineData("BlogTraffic\\/\\d\\.\\d+ Feed-Fetcher", "BlogTraffic/1.23 Feed-Fetcher", true)]
    [InlineData("Automaton|Newsify Feed Fetcher", "x Newsify Feed Fetcher", true)]
    public void EachKindOfPatternMeansWhatItsRegularExpressionMeans(string pattern, string ua, bool match)
    {
        var matcher = BotMatcher.Create([pattern]);
        Assert.Equal(match, matcher.IsMatch(Encoding.UTF8.GetBytes(ua)));
        Assert.Equal(match, Regex.IsMatch(ua, pattern));
    }

    [Fact]
    public void AFileThatIsNotTheListsShapeOrHoldsABadPatternIsRefused()
    {
        Assert.Throws<InvalidDataException>(() => BotMatcher.ReadPatterns(new MemoryStream("{\"pattern\":\"x\"}"u8.ToArray())));
        Assert.Throws<InvalidDataException>(() => BotMatcher.ReadPatterns(new MemoryStream("[{\"url\":\"x\"}]"u8.ToArray())));
        Assert.Throws<InvalidDataException>(() => BotMatcher.Create(["(unclosed"]));
        Assert.False(BotMatcher.Empty.IsMatch("Googlebot/2.1"u8));
    }
}
