using System.Text.Json;

namespace BidEngine.Server.Tests.Docs;

/// <summary>
/// Compares an answer a page shows with the bidder's real one. An <c>http</c> block (status line,
/// headers, a blank line, the body) must have the same status line, the same header names both ways
/// (so a <c>Transfer-Encoding: chunked</c> shown where the bidder sends <c>Content-Length</c> fails) and
/// values, and the same body: JSON of the same shape and values. A <c>text</c> block must be the lines
/// the command printed. <c>Date</c> always varies; anything else the block lists in
/// <c>&lt;!-- varies: a, b --&gt;</c> (a header, a JSON name, or a JSON path such as
/// <c>seatbid[].bid[].id</c>) need only be of the same kind, and a varying URL must keep its address,
/// path and parameter names.
/// </summary>
internal static class ShownAnswer
{
    public static IEnumerable<string> Differences(FencedBlock shown, string printed, CurlAnswer? real)
    {
        var varies = Varies(shown.Comment);
        return shown.Info switch
        {
            "http" when real is null => ["an http block after a command that sent no request"],
            "http" => Http(shown.Text, real, varies),
            _ => Text(shown.Text, printed),
        };
    }

    private static HashSet<string> Varies(string? comment)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Date" };
        if (comment is not null && comment.StartsWith("varies:", StringComparison.Ordinal))
        {
            // "id (the bid's)" names id: what is in brackets is for the reader.
            foreach (var item in comment["varies:".Length..].Split(','))
            {
                names.Add(item.Trim().Split(' ')[0]);
            }
        }

        return names;
    }

    private static IEnumerable<string> Http(string text, CurlAnswer real, HashSet<string> varies)
    {
        var lines = text.Split('\n');
        if (lines[0] != real.StatusLine)
        {
            yield return $"shows '{lines[0]}', the bidder answered '{real.StatusLine}'";
        }

        var shownHeaders = new List<(string Name, string Value)>();
        var i = 1;
        for (; i < lines.Length && lines[i].Length > 0; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                yield return $"'{lines[i]}' is not a header line (a blank line goes before the body)";
                continue;
            }

            shownHeaders.Add((lines[i][..colon], lines[i][(colon + 1)..].Trim()));
        }

        foreach (var (name, value) in shownHeaders)
        {
            var sent = real.Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
            if (sent.Count == 0)
            {
                yield return $"shows '{name}: {value}', the bidder sent no {name}";
            }
            else if (!varies.Contains(name) && sent[0] != value)
            {
                yield return $"shows '{name}: {value}', the bidder sent '{name}: {sent[0]}'";
            }
        }

        foreach (var (name, value) in real.Headers.Where(h => !shownHeaders.Any(s => string.Equals(s.Name, h.Key, StringComparison.OrdinalIgnoreCase))))
        {
            yield return $"does not show '{name}: {value}', which the bidder sent";
        }

        var body = string.Join('\n', lines.Skip(i + 1)).TrimEnd('\n');
        foreach (var difference in Body(body, real.Body.TrimEnd('\n'), varies))
        {
            yield return difference;
        }
    }

    private static IEnumerable<string> Body(string shown, string real, HashSet<string> varies)
    {
        if (!shown.StartsWith('{') && !shown.StartsWith('['))
        {
            return shown == real ? [] : [$"shows the body '{shown}', the bidder answered '{real}'"];
        }

        JsonDocument expected, actual;
        try
        {
            expected = JsonDocument.Parse(shown);
        }
        catch (JsonException e)
        {
            return [$"the body shown is not JSON: {e.Message}"];
        }

        try
        {
            actual = JsonDocument.Parse(real);
        }
        catch (JsonException)
        {
            return [$"shows a JSON body, the bidder answered '{real}'"];
        }

        using (expected)
        using (actual)
        {
            var differences = new List<string>();
            Json(expected.RootElement, actual.RootElement, "", varies, differences);
            return differences;
        }
    }

    private static void Json(JsonElement shown, JsonElement real, string path, HashSet<string> varies, List<string> differences)
    {
        var at = path.Length == 0 ? "the body" : path;
        if (shown.ValueKind != real.ValueKind && !(IsBoolean(shown) && IsBoolean(real)))
        {
            differences.Add($"{at}: shows {shown.ValueKind} {shown.GetRawText()}, the bidder answered {real.ValueKind} {real.GetRawText()}");
            return;
        }

        switch (shown.ValueKind)
        {
            case JsonValueKind.Object:
                var shownNames = shown.EnumerateObject().Select(p => p.Name).ToList();
                var realNames = real.EnumerateObject().Select(p => p.Name).ToList();
                foreach (var name in shownNames.Except(realNames))
                {
                    differences.Add($"{Join(path, name)}: shown, but not in the bidder's answer");
                }

                foreach (var name in realNames.Except(shownNames))
                {
                    differences.Add($"{Join(path, name)}: in the bidder's answer ({real.GetProperty(name).GetRawText()}), not shown");
                }

                foreach (var name in shownNames.Intersect(realNames))
                {
                    Json(shown.GetProperty(name), real.GetProperty(name), Join(path, name), varies, differences);
                }

                break;
            case JsonValueKind.Array:
                if (shown.GetArrayLength() != real.GetArrayLength())
                {
                    differences.Add($"{at}: shows {shown.GetArrayLength()} items, the bidder answered {real.GetArrayLength()}: {real.GetRawText()}");
                    break;
                }

                foreach (var (s, r) in shown.EnumerateArray().Zip(real.EnumerateArray()))
                {
                    Json(s, r, path + "[]", varies, differences);
                }

                break;
            default:
                var last = path[(path.LastIndexOf('.') + 1)..].Replace("[]", "", StringComparison.Ordinal);
                if (varies.Contains(path) || varies.Contains(last))
                {
                    if (shown.ValueKind == JsonValueKind.String && Uri.TryCreate(shown.GetString(), UriKind.Absolute, out var shownUrl)
                        && (!Uri.TryCreate(real.GetString(), UriKind.Absolute, out var realUrl) || !SameShape(shownUrl, realUrl)))
                    {
                        differences.Add($"{at}: shows a URL like {shown.GetString()}, the bidder answered {real.GetString()}");
                    }
                }
                else if (shown.GetRawText() != real.GetRawText())
                {
                    differences.Add($"{at}: shows {shown.GetRawText()}, the bidder answered {real.GetRawText()}");
                }

                break;
        }
    }

    private static bool IsBoolean(JsonElement e) => e.ValueKind is JsonValueKind.True or JsonValueKind.False;

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    /// <summary>Same scheme, address, path and query parameter names, in order; the values may differ.</summary>
    private static bool SameShape(Uri shown, Uri real) =>
        shown.GetLeftPart(UriPartial.Path) == real.GetLeftPart(UriPartial.Path) && ParameterNames(shown).SequenceEqual(ParameterNames(real));

    private static IEnumerable<string> ParameterNames(Uri url) =>
        url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')[0]);

    private static IEnumerable<string> Text(string shown, string printed)
    {
        var expected = shown.TrimEnd('\n').Split('\n');
        var actual = printed.Replace("\r", "", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        if (!expected.SequenceEqual(actual))
        {
            yield return $"shows{Environment.NewLine}{string.Join(Environment.NewLine, expected)}{Environment.NewLine}but the command printed{Environment.NewLine}{string.Join(Environment.NewLine, actual)}";
        }
    }
}
