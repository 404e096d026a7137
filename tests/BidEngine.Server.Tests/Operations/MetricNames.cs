using System.Text.RegularExpressions;

namespace BidEngine.Server.Tests.Operations;

/// <summary>
/// What a PromQL expression asks of a bidder, and whether its <c>/metrics</c> has it: every series
/// name with "bidengine" in it (a recorded name if it has a colon, else a sample name as exported,
/// <c>_bucket</c> included) and each of its equality label matchers.
/// </summary>
internal static partial class MetricNames
{
    /// <summary>A name in an expression, and the <c>label="value"</c> matchers written beside it (regex and negative matchers, and variables, are left out).</summary>
    public sealed record Selector(string Name, IReadOnlyList<(string Label, string Value)> Matchers);

    /// <summary>The samples of an exposition: name to each sample's labels.</summary>
    public static ILookup<string, IReadOnlyDictionary<string, string>> Samples(string exposition) =>
        exposition.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => SampleLine().Match(line))
            .Where(m => m.Success)
            .ToLookup(
                m => m.Groups["name"].Value,
                m => (IReadOnlyDictionary<string, string>)LabelPair().Matches(m.Groups["labels"].Value).ToDictionary(p => p.Groups[1].Value, p => p.Groups[2].Value));

    /// <summary>The bidengine names in <paramref name="expr"/> with their matchers. String literals are masked first, so a label value is never taken for a name.</summary>
    public static IEnumerable<Selector> Selectors(string expr)
    {
        var masked = StringLiteral().Replace(expr, m => "\"" + new string('x', m.Length - 2) + "\"");
        foreach (Match m in SelectorPattern().Matches(masked))
        {
            var name = m.Groups["name"].Value;
            if (!name.Contains("bidengine", StringComparison.Ordinal))
            {
                continue;
            }

            var braces = m.Groups["braces"];
            var matchers = braces.Success
                ? Matcher().Matches(expr.Substring(braces.Index, braces.Length))
                    .Where(x => x.Groups["op"].Value == "=" && !x.Groups["value"].Value.Contains('$', StringComparison.Ordinal))
                    .Select(x => (x.Groups["label"].Value, x.Groups["value"].Value))
                    .ToList()
                : [];
            yield return new Selector(name, matchers);
        }
    }

    /// <summary>
    /// Why <paramref name="selector"/> finds nothing in <paramref name="samples"/> or <paramref name="recorded"/>;
    /// null when it names an exported series (with a sample for each of its matchers) or a recorded one.
    /// </summary>
    public static string? Missing(Selector selector, ILookup<string, IReadOnlyDictionary<string, string>> samples, IReadOnlySet<string> recorded)
    {
        if (selector.Name.Contains(':', StringComparison.Ordinal))
        {
            return recorded.Contains(selector.Name) ? null : $"{selector.Name} is recorded by no rule";
        }

        if (!samples.Contains(selector.Name))
        {
            return $"{selector.Name} is not at the bidder's /metrics";
        }

        foreach (var (label, value) in selector.Matchers)
        {
            if (!samples[selector.Name].Any(s => s.TryGetValue(label, out var v) && v == value))
            {
                return $"{selector.Name} has no sample with {label}=\"{value}\" (it has {string.Join(", ", samples[selector.Name].Select(s => string.Join(",", s.Select(p => $"{p.Key}={p.Value}"))))})";
            }
        }

        return null;
    }

    [GeneratedRegex("^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?<labels>.*)\\})? \\S+")]
    private static partial Regex SampleLine();

    [GeneratedRegex("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex LabelPair();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex("(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(?<braces>\\{[^}]*\\})?")]
    private static partial Regex SelectorPattern();

    [GeneratedRegex("(?<label>[a-zA-Z_][a-zA-Z0-9_]*)\\s*(?<op>=~|!=|!~|=)\\s*\"(?<value>(?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex Matcher();
}
