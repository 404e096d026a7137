using System.Globalization;

namespace BidEngine.LoadTests.Money;

/// <summary>Reads series out of Prometheus text exposition: enough for counters and gauges, labels in any order.</summary>
public static class PrometheusText
{
    /// <summary>
    /// The sum of every series named <paramref name="name"/> whose labels include all of <paramref name="labels"/>
    /// (<c>key=value</c>, unquoted); null when none is present.
    /// </summary>
    public static double? Sum(string text, string name, params string[] labels)
    {
        ArgumentNullException.ThrowIfNull(text);
        double? sum = null;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var line = raw.Trim();
            if (line.IsEmpty || line[0] == '#' || !line.StartsWith(name, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = line[name.Length..];
            var seriesLabels = ReadOnlySpan<char>.Empty;
            if (rest.Length > 0 && rest[0] == '{')
            {
                var close = rest.LastIndexOf('}');
                if (close < 0)
                {
                    continue;
                }

                seriesLabels = rest[1..close];
                rest = rest[(close + 1)..];
            }
            else if (rest.Length == 0 || rest[0] != ' ')
            {
                continue; // another metric whose name starts with this one
            }

            if (!HasAll(seriesLabels, labels))
            {
                continue;
            }

            var value = rest.Trim();
            var space = value.IndexOf(' ');
            if (space > 0)
            {
                value = value[..space]; // a timestamp follows
            }

            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            {
                sum = (sum ?? 0) + v;
            }
        }

        return sum;
    }

    private static bool HasAll(ReadOnlySpan<char> seriesLabels, string[] wanted)
    {
        foreach (var w in wanted)
        {
            var equals = w.IndexOf('=', StringComparison.Ordinal);
            var quoted = string.Concat(w.AsSpan(0, equals + 1), "\"", w.AsSpan(equals + 1), "\"");
            var at = seriesLabels.IndexOf(quoted, StringComparison.Ordinal);
            // The match must start a label (not end another one's name).
            if (at < 0 || (at > 0 && seriesLabels[at - 1] != ','))
            {
                return false;
            }
        }

        return true;
    }
}
