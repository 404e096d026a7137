using System.Text;

namespace BidEngine.Core.Traffic;

/// <summary>
/// Turns the crawler list's patterns (regular expressions, nearly all of them plain text with escaped
/// punctuation) into plain strings where that says the same: <c>Googlebot\/</c> is the text
/// <c>Googlebot/</c>; <c>[wW]get</c> is <c>wget</c> or <c>Wget</c>; <c>^curl</c> is text at the start,
/// <c>SSL Labs$</c> text at the end; <c>(sistrix|SISTRIX) [cC]rawler</c> four texts. A pattern with
/// anything else (<c>\d</c>, <c>.</c>, quantifiers, negated classes, nested groups) stays a regular
/// expression, with the longest run of text it cannot match without, when it has one, as its prefilter.
/// </summary>
internal static class UserAgentPatterns
{
    /// <summary>Most texts one pattern may expand to; past it the pattern stays a regular expression.</summary>
    private const int MaxExpansions = 32;

    /// <summary>Where a literal must be found in the user agent.</summary>
    public enum Anchor : byte
    {
        Anywhere,
        Start,
        End,
        Whole,
    }

    public readonly record struct Literal(string Text, Anchor Anchor);

    /// <summary>The literals the pattern means, or null when it is more than text.</summary>
    public static List<Literal>? Expand(string pattern)
    {
        // Top-level alternatives first: "Automaton|Newsify Feed Fetcher".
        var alternatives = SplitTopLevel(pattern);
        if (alternatives is null)
        {
            return null;
        }

        var all = new List<Literal>();
        foreach (var alternative in alternatives)
        {
            var expanded = ExpandSequence(alternative);
            if (expanded is null || all.Count + expanded.Count > MaxExpansions)
            {
                return null;
            }

            all.AddRange(expanded);
        }

        return all;
    }

    /// <summary>
    /// The longest run of plain text a pattern cannot match without, for the prefilter of a pattern
    /// that stays a regular expression; null when there is none (top-level alternation, or no text
    /// outside groups and quantified parts).
    /// </summary>
    public static string? RequiredText(string pattern)
    {
        if (SplitTopLevel(pattern) is { Count: > 1 })
        {
            return null;
        }

        string? best = null;
        var run = new StringBuilder();
        var depth = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            char? text = null;
            if (c == '\\')
            {
                // An escaped letter or digit is a class (\d, \s): not text. Escaped punctuation is.
                if (i + 1 < pattern.Length && !char.IsLetterOrDigit(pattern[i + 1]))
                {
                    text = pattern[i + 1];
                }

                i++;
            }
            else if (c is '(' or '[')
            {
                depth++;
            }
            else if (c is ')' or ']')
            {
                depth--;
            }
            else if (!IsSpecial(c))
            {
                text = c;
            }

            // Text followed by ?, * or {n,m} may be absent: it ends the run and does not join it.
            var optional = i + 1 < pattern.Length && pattern[i + 1] is '?' or '*' or '{';
            if (text is { } t && depth == 0 && !optional)
            {
                run.Append(t);
                continue;
            }

            Keep();
        }

        Keep();
        return best;

        void Keep()
        {
            if (run.Length > (best?.Length ?? 0))
            {
                best = run.ToString();
            }

            run.Clear();
        }
    }

    private static bool IsSpecial(char c) => c is '\\' or '[' or ']' or '(' or ')' or '^' or '$' or '.' or '*' or '+' or '?' or '|' or '{' or '}';

    /// <summary>Splits on '|' outside groups and classes; null on unbalanced brackets.</summary>
    private static List<string>? SplitTopLevel(string pattern)
    {
        var parts = new List<string>();
        var depth = 0;
        var inClass = false;
        var start = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                i++;
                continue;
            }

            if (inClass)
            {
                inClass = c != ']';
                continue;
            }

            switch (c)
            {
                case '[':
                    inClass = true;
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    if (--depth < 0)
                    {
                        return null;
                    }

                    break;
                case '|' when depth == 0:
                    parts.Add(pattern[start..i]);
                    start = i + 1;
                    break;
            }
        }

        if (depth != 0 || inClass)
        {
            return null;
        }

        parts.Add(pattern[start..]);
        return parts;
    }

    /// <summary>One alternative: text, escapes, plain classes and one level of plain groups, with ^ and $ at the ends.</summary>
    private static List<Literal>? ExpandSequence(string sequence)
    {
        var anchorStart = sequence.StartsWith('^');
        var body = anchorStart ? sequence[1..] : sequence;
        var anchorEnd = body.EndsWith('$') && !body.EndsWith("\\$", StringComparison.Ordinal);
        if (anchorEnd)
        {
            body = body[..^1];
        }

        var prefixes = new List<StringBuilder> { new() };
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            List<string> choices;
            if (c == '\\')
            {
                if (i + 1 >= body.Length || char.IsLetterOrDigit(body[i + 1]))
                {
                    return null;
                }

                choices = [body[++i].ToString()];
            }
            else if (c == '[')
            {
                var close = body.IndexOf(']', i + 1);
                if (close < 0 || !TryClass(body[(i + 1)..close], out choices))
                {
                    return null;
                }

                i = close;
            }
            else if (c == '(')
            {
                var close = body.IndexOf(')', i + 1);
                if (close < 0 || !TryGroup(body[(i + 1)..close], out choices))
                {
                    return null;
                }

                i = close;
            }
            else if (IsSpecial(c))
            {
                return null;
            }
            else
            {
                choices = [c.ToString()];
            }

            // A quantifier after this piece makes it more than text.
            if (i + 1 < body.Length && body[i + 1] is '?' or '*' or '+' or '{')
            {
                return null;
            }

            if (prefixes.Count * choices.Count > MaxExpansions)
            {
                return null;
            }

            var next = new List<StringBuilder>(prefixes.Count * choices.Count);
            foreach (var prefix in prefixes)
            {
                foreach (var choice in choices)
                {
                    next.Add(new StringBuilder(prefix.ToString()).Append(choice));
                }
            }

            prefixes = next;
        }

        var anchor = (anchorStart, anchorEnd) switch
        {
            (true, true) => Anchor.Whole,
            (true, false) => Anchor.Start,
            (false, true) => Anchor.End,
            _ => Anchor.Anywhere,
        };
        var literals = new List<Literal>(prefixes.Count);
        foreach (var prefix in prefixes)
        {
            if (prefix.Length == 0)
            {
                return null;
            }

            literals.Add(new Literal(prefix.ToString(), anchor));
        }

        return literals;
    }

    /// <summary>A class of single characters and escaped punctuation: [wW], [cC]; no ranges, no negation.</summary>
    private static bool TryClass(string inside, out List<string> choices)
    {
        choices = [];
        if (inside.Length == 0 || inside[0] == '^')
        {
            return false;
        }

        for (var i = 0; i < inside.Length; i++)
        {
            var c = inside[i];
            if (c == '\\')
            {
                if (i + 1 >= inside.Length || char.IsLetterOrDigit(inside[i + 1]))
                {
                    return false;
                }

                c = inside[++i];
            }
            else if (c == '-' && i > 0 && i < inside.Length - 1)
            {
                return false;
            }
            else if (c == '[')
            {
                return false;
            }

            var text = c.ToString();
            if (!choices.Contains(text))
            {
                choices.Add(text);
            }
        }

        return true;
    }

    /// <summary>A group of plain-text alternatives: (Bot|SiteAudit); an empty alternative or anything special is not.</summary>
    private static bool TryGroup(string inside, out List<string> choices)
    {
        choices = [];
        if (inside.StartsWith('?'))
        {
            return false;
        }

        foreach (var alternative in inside.Split('|'))
        {
            var text = new StringBuilder();
            for (var i = 0; i < alternative.Length; i++)
            {
                var c = alternative[i];
                if (c == '\\')
                {
                    if (i + 1 >= alternative.Length || char.IsLetterOrDigit(alternative[i + 1]))
                    {
                        return false;
                    }

                    c = alternative[++i];
                }
                else if (IsSpecial(c))
                {
                    return false;
                }

                text.Append(c);
            }

            if (text.Length == 0)
            {
                return false;
            }

            choices.Add(text.ToString());
        }

        return true;
    }
}
