using System.Text;

namespace BidEngine.Server.Tests.Docs;

/// <summary>
/// One shell command line split as sh does it for the doc examples: words with single and double
/// quotes and backslashes, <c>$(...)</c> kept whole for <see cref="DocShell"/> to run, <c>|</c> and
/// <c>&gt;</c>, and a <c>#</c> comment. Shell variables, <c>;</c>, <c>&amp;&amp;</c> and the like are not
/// understood and throw, so an example that needs them fails instead of running as something else.
/// </summary>
internal static class ShellWords
{
    internal abstract record Token;

    internal sealed record Pipe : Token;

    internal sealed record Redirect : Token;

    /// <summary>A word: literal text and <c>$(...)</c> substitutions, in order.</summary>
    internal sealed record Word(IReadOnlyList<Part> Parts) : Token;

    internal sealed record Part(string Text, bool IsSubstitution);

    public static List<Token> Split(string line)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '|')
            {
                tokens.Add(new Pipe());
                i++;
            }
            else if (c == '>')
            {
                tokens.Add(new Redirect());
                i++;
            }
            else if (c == '#')
            {
                break;
            }
            else if (c is ';' or '&' or '<' or '`')
            {
                throw new NotSupportedException($"'{c}' in '{line}'");
            }
            else
            {
                tokens.Add(ReadWord(line, ref i));
            }
        }

        return tokens;
    }

    private static Word ReadWord(string line, ref int i)
    {
        var parts = new List<Part>();
        var text = new StringBuilder();
        void Flush()
        {
            if (text.Length > 0)
            {
                parts.Add(new Part(text.ToString(), false));
                text.Clear();
            }
        }

        while (i < line.Length && !char.IsWhiteSpace(line[i]) && line[i] is not ('|' or '>' or ';' or '&'))
        {
            var c = line[i];
            if (c == '\'')
            {
                var end = line.IndexOf('\'', i + 1);
                text.Append(line, i + 1, (end < 0 ? throw new NotSupportedException($"an unclosed quote in '{line}'") : end) - i - 1);
                i = end + 1;
            }
            else if (c == '"')
            {
                for (i++; i < line.Length && line[i] != '"';)
                {
                    if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\' or '$' or '`')
                    {
                        text.Append(line[i + 1]);
                        i += 2;
                    }
                    else if (line[i] == '$')
                    {
                        Flush();
                        parts.Add(new Part(Substitution(line, ref i), true));
                    }
                    else
                    {
                        text.Append(line[i++]);
                    }
                }

                i = i < line.Length ? i + 1 : throw new NotSupportedException($"an unclosed quote in '{line}'");
            }
            else if (c == '\\' && i + 1 < line.Length)
            {
                text.Append(line[i + 1]);
                i += 2;
            }
            else if (c == '$')
            {
                Flush();
                parts.Add(new Part(Substitution(line, ref i), true));
            }
            else
            {
                text.Append(c);
                i++;
            }
        }

        Flush();
        return new Word(parts);
    }

    /// <summary>The command inside <c>$(...)</c> starting at <paramref name="i"/>, quotes inside it respected.</summary>
    private static string Substitution(string line, ref int i)
    {
        if (i + 1 >= line.Length || line[i + 1] != '(')
        {
            throw new NotSupportedException($"a shell variable in '{line}'");
        }

        var start = i + 2;
        var depth = 1;
        char? quote = null;
        for (i = start; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is not null)
            {
                quote = c == quote ? null : quote;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && --depth == 0)
            {
                i++;
                return line[start..(i - 1)];
            }
        }

        throw new NotSupportedException($"an unclosed $( in '{line}'");
    }
}
