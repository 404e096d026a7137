using System.Globalization;
using System.Text;

namespace BidEngine.Server.Tests;

/// <summary>
/// /metrics as the tests read it: the Prometheus text format parsed into samples, each looked up by
/// its whole name and label set. A series that is not there fails the test, naming the series and
/// the ones that are like it, so that a renamed or never-registered series cannot pass as "0".
/// </summary>
internal static class PrometheusText
{
    /// <summary>One sample line: its name, its labels (in the order written) and its value.</summary>
    public sealed record Sample(string Name, IReadOnlyList<(string Name, string Value)> Labels, double Value)
    {
        public string Series => Format(Name, Labels);

        public override string ToString() => Series + " " + Value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>Every sample in <paramref name="text"/>; a line that is not a sample or a comment fails the test.</summary>
    public static List<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var (name, labels, end) = ReadSeries(line, 0);
            if (end >= line.Length || line[end] != ' ')
            {
                Assert.Fail($"not a sample line at /metrics: '{line}'");
            }

            // A sample may end with a timestamp after its value; prometheus-net writes none.
            var value = line[(end + 1)..].Split(' ')[0];
            samples.Add(new Sample(name, labels, ParseValue(value, line)));
        }

        return samples;
    }

    /// <summary>
    /// The value of <paramref name="series"/>, written as at /metrics (<c>name</c> or
    /// <c>name{label="value",...}</c>; labels in any order). Fails when the series is not there.
    /// </summary>
    public static double Value(string text, string series)
    {
        var (name, labels, end) = ReadSeries(series, 0);
        if (end != series.Length)
        {
            throw new ArgumentException($"not a series: '{series}'", nameof(series));
        }

        return Value(text, name, [.. labels]);
    }

    /// <summary>The value of the series <paramref name="name"/> with exactly these labels. Fails when it is not there.</summary>
    public static double Value(string text, string name, params (string Name, string Value)[] labels)
    {
        var samples = Parse(text);
        var found = samples.Where(s => s.Name == name && SameLabels(s.Labels, labels)).ToList();
        if (found.Count == 1)
        {
            return found[0].Value;
        }

        if (found.Count > 1)
        {
            Assert.Fail($"{Format(name, labels)} is at /metrics {found.Count} times");
        }

        Assert.Fail($"{Format(name, labels)} is not at /metrics; {Similar(samples, name)}");
        return double.NaN;
    }

    /// <summary>How much <paramref name="series"/> moved from <paramref name="before"/> to <paramref name="after"/>; fails when either lacks it.</summary>
    public static double Delta(string before, string after, string series) => Value(after, series) - Value(before, series);

    private static string Similar(List<Sample> samples, string name)
    {
        var sameName = samples.Where(s => s.Name == name).Select(s => s.Series).ToList();
        if (sameName.Count > 0)
        {
            return "with other labels: " + string.Join(", ", sameName.Take(20));
        }

        // Names a rename or a typo would leave: a few edits away, or in the same family (first two words).
        var family = string.Join('_', name.Split('_').Take(2)) + "_";
        var like = samples.Select(s => s.Name).Distinct()
            .Where(n => n.StartsWith(family, StringComparison.Ordinal) || Distance(n, name) <= Math.Max(3, name.Length / 5))
            .Take(20)
            .ToList();
        return like.Count > 0 ? "names like it: " + string.Join(", ", like) : "nothing like it there";
    }

    private static bool SameLabels(IReadOnlyList<(string Name, string Value)> have, (string Name, string Value)[] want) =>
        have.Count == want.Length && want.All(w => have.Contains(w));

    /// <summary>Reads <c>name</c> or <c>name{a="x",b="y"}</c> from <paramref name="start"/>; returns where it stopped.</summary>
    private static (string Name, List<(string Name, string Value)> Labels, int End) ReadSeries(string line, int start)
    {
        var i = start;
        while (i < line.Length && line[i] is not ('{' or ' '))
        {
            i++;
        }

        var name = line[start..i];
        if (name.Length == 0)
        {
            Assert.Fail($"a sample without a name at /metrics: '{line}'");
        }

        var labels = new List<(string, string)>();
        if (i == line.Length || line[i] != '{')
        {
            return (name, labels, i);
        }

        i++;
        while (i < line.Length && line[i] != '}')
        {
            var eq = line.IndexOf('=', i);
            if (eq < 0 || eq + 1 >= line.Length || line[eq + 1] != '"')
            {
                Assert.Fail($"a label without a quoted value at /metrics: '{line}'");
            }

            var label = line[i..eq];
            var value = new StringBuilder();
            var j = eq + 2;
            for (; j < line.Length && line[j] != '"'; j++)
            {
                if (line[j] == '\\' && j + 1 < line.Length)
                {
                    j++;
                    value.Append(line[j] == 'n' ? '\n' : line[j]);
                }
                else
                {
                    value.Append(line[j]);
                }
            }

            if (j == line.Length)
            {
                Assert.Fail($"an unclosed label value at /metrics: '{line}'");
            }

            labels.Add((label, value.ToString()));
            i = j + 1;
            if (i < line.Length && line[i] == ',')
            {
                i++;
            }
        }

        if (i == line.Length)
        {
            Assert.Fail($"unclosed labels at /metrics: '{line}'");
        }

        return (name, labels, i + 1);
    }

    private static double ParseValue(string value, string line) => value switch
    {
        "NaN" => double.NaN,
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw new FormatException($"not a sample value at /metrics: '{line}'"),
    };

    private static string Format(string name, IEnumerable<(string Name, string Value)> labels)
    {
        var list = labels.ToList();
        return list.Count == 0
            ? name
            : name + "{" + string.Join(",", list.Select(l => $"{l.Name}=\"{l.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"")) + "}";
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
