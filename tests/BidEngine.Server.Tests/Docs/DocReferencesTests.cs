using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using BidEngine.Server.Options;

namespace BidEngine.Server.Tests.Docs;

/// <summary>
/// What the README and <c>docs/</c> name must exist: every setting is one the bidder binds, every
/// <c>bidengine_*</c> series one it registers, every relative link a file (and its <c>#anchor</c> a
/// heading there). A failure names the page and line.
/// </summary>
public sealed partial class DocReferencesTests
{
    /// <summary>Pages linked before they land, each with the change that brings it; drop a line once that is merged.</summary>
    private static readonly string[] ComingFiles = [];

    /// <summary>Configuration roots of others (Kestrel's endpoints, logging): not the bidder's to check.</summary>
    private static readonly string[] ForeignRoots = ["Kestrel", "Logging", "Microsoft"];

    // BidEngine:Notices:BaseUrl, Notices:BaseUrl, Exchanges:{name}:Health:TripShare, Currency:UsdPerUnit:XXX.
    [GeneratedRegex(@"(?<![\w:/.$])(?:BidEngine:)?(?<name>(?:[A-Z][A-Za-z0-9]*|\{[a-z]+\})(?::(?:[A-Z][A-Za-z0-9]*|\{[a-z]+\}))+)(?![\w(])")]
    private static partial Regex SettingName();

    [GeneratedRegex(@"\bBidEngine__(?<name>[A-Za-z0-9]+(?:__[A-Za-z0-9]+)*)")]
    private static partial Regex EnvironmentSettingName();

    [GeneratedRegex(@"\bbidengine_[a-z0-9_]*[a-z0-9]")]
    private static partial Regex SeriesName();

    [GeneratedRegex("\"(?<name>bidengine_[a-z0-9_]+)")]
    private static partial Regex RegisteredSeries();

    [GeneratedRegex(@"\[[^\]]*\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex("`[^`]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex("""<a (?:id|name)="(?<id>[^"]+)">""")]
    private static partial Regex HtmlAnchor();

    private static readonly Lazy<HashSet<string>> s_registered = new(() =>
        Directory.EnumerateFiles(Path.Combine(MarkdownPage.RepositoryRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => RegisteredSeries().Matches(File.ReadAllText(f)).Select(m => m.Groups["name"].Value))
            .ToHashSet(StringComparer.Ordinal));

    public static TheoryData<string> Pages() => [.. MarkdownPage.All()];

    [Theory]
    [MemberData(nameof(Pages))]
    public void EverySettingThePageNamesIsOneTheBidderBinds(string page)
    {
        var problems = SettingProblems(MarkdownPage.Read(page));

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void AMisspeltOrMisplacedSettingIsCaught()
    {
        var page = MarkdownPage.Parse("settings.md", """
            `Notices:BaseUrl`, `Exchanges:{name}:Health:TripShare`, `Currency:UsdPerUnit:EUR`, `Pricing:Shading` and
            `Kestrel:Endpoints:H2c:Url` are fine; `--BidEngine:Deadline:NetworkReserveMs=20`, `BidEngine__Notices__SigningKey` too.
            `Notices:BaseURL`, `Budget:SweepSeconds`, `BidEngine:Health:TripShare`, `Management:Port`
            `BidEngine__Notices__Key`
            """);

        Assert.Equal(
            [
                "settings.md:3: 'Notices:BaseURL' is not a setting the bidder binds (BidEngineOptions and the options it holds)",
                "settings.md:3: 'Budget:SweepSeconds' is not a setting the bidder binds (BidEngineOptions and the options it holds)",
                "settings.md:3: 'BidEngine:Health:TripShare' is not a setting the bidder binds (BidEngineOptions and the options it holds)",
                "settings.md:3: 'Management:Port' is not a setting the bidder binds (BidEngineOptions and the options it holds)",
                "settings.md:4: 'BidEngine__Notices__Key' is not a setting the bidder binds",
            ],
            SettingProblems(page));
    }

    private static List<string> SettingProblems(MarkdownPage page)
    {
        var known = Settings();
        var problems = new List<string>();
        foreach (var (line, text) in Numbered(page))
        {
            foreach (Match match in SettingName().Matches(text))
            {
                var name = match.Groups["name"].Value.Split(':');
                var rooted = match.Value.StartsWith("BidEngine:", StringComparison.Ordinal);
                if ((rooted || !ForeignRoots.Contains(name[0])) && !Binds(known, name, rooted))
                {
                    problems.Add($"{page.Name}:{line}: '{match.Value}' is not a setting the bidder binds (BidEngineOptions and the options it holds)");
                }
            }

            foreach (Match match in EnvironmentSettingName().Matches(text))
            {
                if (!Binds(known, match.Groups["name"].Value.Split("__"), rooted: true))
                {
                    problems.Add($"{page.Name}:{line}: '{match.Value}' is not a setting the bidder binds");
                }
            }
        }

        return problems;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void EverySeriesThePageNamesIsOneTheBidderRegisters(string page)
    {
        var problems = SeriesProblems(MarkdownPage.Read(page));

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void ASeriesTheBidderDoesNotRegisterIsCaught()
    {
        var page = MarkdownPage.Parse("metrics.md", """
            `bidengine_billing_total{outcome}`, `bidengine_request_duration_seconds_count`, `grep bidengine_campaign_spent`
            `bidengine_campaign_spend_currency_units`, `bidengine_billings_total`
            """);

        Assert.Equal(
            [
                "metrics.md:2: 'bidengine_campaign_spend_currency_units' is not a series the bidder registers (no \"bidengine_campaign_spend_currency_units\" in src/)",
                "metrics.md:2: 'bidengine_billings_total' is not a series the bidder registers (no \"bidengine_billings_total\" in src/)",
            ],
            SeriesProblems(page));
    }

    private static List<string> SeriesProblems(MarkdownPage page)
    {
        var registered = s_registered.Value;
        var problems = new List<string>();
        foreach (var (line, text) in Numbered(page))
        {
            foreach (var name in SeriesName().Matches(text).Select(m => m.Value))
            {
                // A histogram's own series, or the start of a name as a grep pattern gives it.
                var series = Regex.Replace(name, "_(count|sum|bucket)$", "");
                if (!registered.Contains(series) && !registered.Any(r => r.StartsWith(name + "_", StringComparison.Ordinal)))
                {
                    problems.Add($"{page.Name}:{line}: '{name}' is not a series the bidder registers (no \"{name}\" in src/)");
                }
            }
        }

        return problems;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryRelativeLinkOfThePageLeadsToAFileAndHeading(string page)
    {
        var problems = LinkProblems(MarkdownPage.Read(page));

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void ALinkToNoFileOrNoHeadingIsCaught()
    {
        var page = MarkdownPage.Parse("docs/links.md", """
            [money](money.md), [state](money.md#state-that-outlives-the-process), [drain](operations.md#drain),
            [the README](../README.md#try-it), [h2c](exchanges.md#http2-without-tls-h2c), [corpus](../corpus/), `[not a link](nowhere.md)`
            [gone](monie.md), [no heading](money.md#state), [outside](../../etc/passwd), [here](#nothing)
            """);

        Assert.Equal(
            [
                "docs/links.md:3: the link to 'monie.md' leads to no file (docs/monie.md)",
                "docs/links.md:3: the link to 'money.md#state': docs/money.md has no heading or anchor 'state'",
                "docs/links.md:3: the link to '../../etc/passwd' leads to no file (../etc/passwd)",
                "docs/links.md:3: the link to '#nothing': docs/links.md has no heading or anchor 'nothing'",
            ],
            LinkProblems(page));
    }

    private static List<string> LinkProblems(MarkdownPage page)
    {
        var root = MarkdownPage.RepositoryRoot;
        var problems = new List<string>();
        foreach (var (line, text) in page.Prose)
        {
            foreach (var target in Link().Matches(InlineCode().Replace(text, "")).Select(m => m.Groups["target"].Value))
            {
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                var hash = target.IndexOf('#', StringComparison.Ordinal);
                var (path, anchor) = hash < 0 ? (target, null) : (target[..hash], target[(hash + 1)..]);
                var file = path.Length == 0 ? page.Name : Path.GetRelativePath(root, Path.GetFullPath(Path.Combine(root, Path.GetDirectoryName(page.Name)!, path))).Replace('\\', '/');
                if (ComingFiles.Contains(file))
                {
                    continue;
                }

                if (path.Length > 0 && (file.StartsWith("..", StringComparison.Ordinal) || (!File.Exists(Path.Combine(root, file)) && !Directory.Exists(Path.Combine(root, file)))))
                {
                    problems.Add($"{page.Name}:{line}: the link to '{target}' leads to no file ({file})");
                }
                else if (anchor is not null && file.EndsWith(".md", StringComparison.Ordinal) && !Anchors(file == page.Name ? page : MarkdownPage.Read(file)).Contains(anchor))
                {
                    problems.Add($"{page.Name}:{line}: the link to '{target}': {file} has no heading or anchor '{anchor}'");
                }
            }
        }

        return problems;
    }

    /// <summary>Every line of the page, fenced blocks included (settings are named in commands too).</summary>
    private static IEnumerable<(int Line, string Text)> Numbered(MarkdownPage page) => page.Lines.Select((text, i) => (i + 1, text));

    /// <summary>
    /// True when <paramref name="name"/> is a setting, a section, or (unless <paramref name="rooted"/>)
    /// the end of one as the pages write them inside a section (<c>Health:TripShare</c> of an
    /// exchange's profile). A <c>{placeholder}</c> or any key stands for a dictionary's key.
    /// </summary>
    private static bool Binds(List<string[]> known, string[] name, bool rooted) =>
        known.Any(path => path.Length >= name.Length &&
            Enumerable.Range(0, path.Length - name.Length + 1).Any(start =>
                (start == 0 || (!rooted && start + name.Length == path.Length))
                && name.Select((segment, i) => path[start + i] == "*" || path[start + i] == segment).All(same => same)));

    /// <summary>Every setting and section under <c>BidEngine</c>, from the options classes; <c>*</c> for a dictionary key.</summary>
    private static List<string[]> Settings()
    {
        var paths = new List<string[]>();
        Walk(typeof(BidEngineOptions), [], paths);
        return paths;
    }

    private static void Walk(Type type, string[] prefix, List<string[]> paths)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            string[] path = [.. prefix, property.Name];
            var propertyType = property.PropertyType;
            var dictionary = propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>) ? propertyType.GetGenericArguments()[1] : null;
            if (IsScalar(propertyType))
            {
                // A computed property (a getter only) is no setting.
                if (property.SetMethod?.IsPublic == true)
                {
                    paths.Add(path);
                }
            }
            else if (dictionary is not null)
            {
                paths.Add(path);
                if (IsScalar(dictionary))
                {
                    paths.Add([.. path, "*"]);
                }
                else
                {
                    Walk(dictionary, [.. path, "*"], paths);
                }
            }
            else if (propertyType.IsArray || propertyType.IsGenericType)
            {
                paths.Add(path);
            }
            else if (propertyType.IsClass && propertyType.Namespace?.StartsWith("BidEngine", StringComparison.Ordinal) == true)
            {
                paths.Add(path);
                Walk(propertyType, path, paths);
            }
        }
    }

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(Uri);
    }

    /// <summary>The anchors GitHub makes of a page's headings (lower case, punctuation dropped, spaces as dashes), and its explicit ones.</summary>
    private static HashSet<string> Anchors(MarkdownPage page)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, text) in page.Prose)
        {
            if (text.StartsWith('#'))
            {
                var slug = new StringBuilder();
                foreach (var c in text.TrimStart('#').Trim().ToLowerInvariant())
                {
                    if (char.IsLetterOrDigit(c) || c is '-' or '_')
                    {
                        slug.Append(c);
                    }
                    else if (c == ' ')
                    {
                        slug.Append('-');
                    }
                }

                anchors.Add(slug.ToString());
            }

            foreach (Match match in HtmlAnchor().Matches(text))
            {
                anchors.Add(match.Groups["id"].Value);
            }
        }

        return anchors;
    }
}
