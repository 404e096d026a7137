using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace BidEngine.Server.Tests.Docs;

/// <summary>
/// Runs the shell commands of a doc example as a reader would, without a shell: <c>curl</c> becomes
/// an <see cref="HttpClient"/> request to the test's bidder, and the few tools the docs pipe it
/// through (<c>grep</c>, <c>sed 's/../../'</c>, <c>tee</c>, <c>cat</c>, <c>$(...)</c>) are done here,
/// so the test needs nothing beside the .NET SDK. Anything else throws <see cref="NotSupportedException"/>
/// naming it: an example the test cannot run fails rather than passing unchecked. Files an example
/// writes (<c>tee bid.txt</c>) stay in memory; files it reads come from the repository.
/// </summary>
internal sealed class DocShell(HttpClient http, IReadOnlyList<KeyValuePair<string, string>> addresses)
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);

    /// <summary>The answer to the last <c>curl</c> run.</summary>
    public CurlAnswer? LastAnswer { get; private set; }

    /// <summary>Runs every command of <paramref name="script"/> in turn and returns what they print.</summary>
    public async Task<string> RunAsync(string script)
    {
        var output = new StringBuilder();
        foreach (var line in script.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n'))
        {
            var command = line.Trim();
            if (command.Length == 0 || command.StartsWith('#') || command.StartsWith("dotnet run ", StringComparison.Ordinal))
            {
                continue;
            }

            output.Append(await RunPipelineAsync(command));
        }

        return output.ToString();
    }

    /// <summary>The doc's addresses (<c>http://127.0.0.1:5000</c>) replaced by the test bidder's.</summary>
    public string Map(string text)
    {
        foreach (var (doc, real) in addresses)
        {
            text = text.Replace(doc, real, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>The test bidder's addresses written back as the doc's; where two are one, as the first.</summary>
    public string Unmap(string text)
    {
        foreach (var (doc, real) in addresses)
        {
            text = text.Replace(real, doc, StringComparison.Ordinal);
        }

        return text;
    }

    private async Task<string> RunPipelineAsync(string line)
    {
        var tokens = ShellWords.Split(line);
        var input = "";
        foreach (var command in Commands(tokens))
        {
            var words = new List<string>();
            foreach (var word in command.Words)
            {
                words.Add(await EvaluateAsync(word));
            }

            input = words[0] switch
            {
                "curl" => await CurlAsync(words),
                "grep" => Grep(words, input),
                "sed" => Sed(words, input),
                "tee" => Tee(words, input),
                "cat" => string.Concat(words.Skip(1).Select(ReadText)),
                _ => throw new NotSupportedException($"'{words[0]}' is not a command the doc tests can run"),
            };

            if (command.RedirectTo is { } target)
            {
                _files[await EvaluateAsync(target)] = input;
                input = "";
            }
        }

        return input;
    }

    private static IEnumerable<(List<ShellWords.Word> Words, ShellWords.Word? RedirectTo)> Commands(List<ShellWords.Token> tokens)
    {
        var words = new List<ShellWords.Word>();
        ShellWords.Word? redirect = null;
        for (var i = 0; i < tokens.Count; i++)
        {
            switch (tokens[i])
            {
                case ShellWords.Pipe:
                    yield return (words, redirect);
                    (words, redirect) = ([], null);
                    break;
                case ShellWords.Redirect when i + 1 < tokens.Count && tokens[i + 1] is ShellWords.Word target:
                    redirect = target;
                    i++;
                    break;
                case ShellWords.Word word:
                    words.Add(word);
                    break;
                default:
                    throw new NotSupportedException("a '>' without a file");
            }
        }

        if (words.Count == 0)
        {
            throw new NotSupportedException("an empty command in a pipeline");
        }

        yield return (words, redirect);
    }

    private async Task<string> EvaluateAsync(ShellWords.Word word)
    {
        var text = new StringBuilder();
        foreach (var part in word.Parts)
        {
            // $(...) as the shell does it: the inner command's output, its trailing newlines dropped.
            text.Append(part.IsSubstitution ? (await RunPipelineAsync(part.Text)).TrimEnd('\n') : part.Text);
        }

        return text.ToString();
    }

    private async Task<string> CurlAsync(List<string> args)
    {
        string? url = null, method = null, output = null, writeOut = null;
        byte[]? data = null;
        var include = false;
        var headers = new List<string>();
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            string Next() => ++i < args.Count ? args[i] : throw new NotSupportedException($"curl {arg} without its value");
            switch (arg)
            {
                case "-s" or "--silent" or "-S" or "--show-error" or "-sS":
                    break;
                case "-i" or "--include" or "-si" or "-is":
                    include = true;
                    break;
                case "-H" or "--header":
                    headers.Add(Next());
                    break;
                case "-d" or "--data":
                    data = ReadData(Next(), stripNewlines: true);
                    break;
                case "--data-binary":
                    data = ReadData(Next(), stripNewlines: false);
                    break;
                case "-X" or "--request":
                    method = Next();
                    break;
                case "-o" or "--output":
                    output = Next();
                    break;
                case "-w" or "--write-out":
                    writeOut = Next();
                    break;
                default:
                    url = arg.StartsWith('-') || url is not null ? throw new NotSupportedException($"curl {arg}") : arg;
                    break;
            }
        }

        if (url is null)
        {
            throw new NotSupportedException("curl without a URL");
        }

        using var request = new HttpRequestMessage(new HttpMethod(method ?? (data is null ? "GET" : "POST")), Map(url));
        if (data is not null)
        {
            request.Content = new ByteArrayContent(data);
        }

        // What curl sends of its own; -H replaces them.
        var sent = new List<string> { "User-Agent: curl/8.14.1", "Accept: */*" };
        if (data is not null)
        {
            sent.Add("Content-Type: application/x-www-form-urlencoded");
        }

        foreach (var header in sent.Where(h => !headers.Any(given => SameName(given, h))).Concat(headers))
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            var (name, value) = (header[..colon].Trim(), header[(colon + 1)..].Trim());
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                (request.Content ?? throw new NotSupportedException($"curl -H '{header}' without a body")).Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await http.SendAsync(request);
        var body = Unmap(await response.Content.ReadAsStringAsync());
        var statusLine = $"HTTP/{response.Version.Major}.{response.Version.Minor} {(int)response.StatusCode} {response.ReasonPhrase}";
        var answerHeaders = Headers(response.Headers).Concat(Headers(response.Content.Headers)).ToList();
        LastAnswer = new CurlAnswer(statusLine, answerHeaders, body);

        var printed = new StringBuilder();
        if (include)
        {
            printed.Append(statusLine).Append("\r\n");
            foreach (var (name, value) in answerHeaders)
            {
                printed.Append(name).Append(": ").Append(value).Append("\r\n");
            }

            printed.Append("\r\n");
        }

        printed.Append(body);
        if (output is not null)
        {
            if (output != "/dev/null")
            {
                _files[output] = printed.ToString();
            }

            printed.Clear();
        }

        if (writeOut is not null)
        {
            var rest = writeOut.Replace("%{http_code}", ((int)response.StatusCode).ToString(), StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal);
            printed.Append(rest.Contains("%{", StringComparison.Ordinal) ? throw new NotSupportedException($"curl -w '{writeOut}'") : rest);
        }

        return printed.ToString();
    }

    /// <summary>Headers as they came, one line per name; the wire's own values, unparsed.</summary>
    private IEnumerable<KeyValuePair<string, string>> Headers(HttpHeaders headers) =>
        headers.NonValidated.Select(h => new KeyValuePair<string, string>(h.Key, Unmap(string.Join(", ", h.Value))));

    private static bool SameName(string a, string b) =>
        string.Equals(a[..Math.Max(0, a.IndexOf(':', StringComparison.Ordinal))], b[..b.IndexOf(':', StringComparison.Ordinal)], StringComparison.OrdinalIgnoreCase);

    private byte[] ReadData(string value, bool stripNewlines)
    {
        if (!value.StartsWith('@'))
        {
            return Encoding.UTF8.GetBytes(Map(value));
        }

        var bytes = _files.TryGetValue(value[1..], out var written) ? Encoding.UTF8.GetBytes(written) : File.ReadAllBytes(Path.Combine(MarkdownPage.RepositoryRoot, value[1..]));
        return stripNewlines ? [.. bytes.Where(b => b is not (byte)'\r' and not (byte)'\n')] : bytes;
    }

    private string ReadText(string path) =>
        _files.TryGetValue(path, out var written) ? written : File.ReadAllText(Path.Combine(MarkdownPage.RepositoryRoot, path));

    private string Grep(List<string> args, string input)
    {
        bool only = false, extended = false, fixedText = false;
        string? pattern = null;
        var files = new List<string>();
        foreach (var arg in args.Skip(1))
        {
            if (pattern is null && arg.StartsWith('-') && arg.Length > 1)
            {
                foreach (var flag in arg[1..])
                {
                    _ = flag switch
                    {
                        'o' => only = true,
                        'E' => extended = true,
                        'F' => fixedText = true,
                        _ => throw new NotSupportedException($"grep -{flag}"),
                    };
                }
            }
            else if (pattern is null)
            {
                pattern = arg;
            }
            else
            {
                files.Add(arg);
            }
        }

        var regex = new Regex(fixedText ? Regex.Escape(pattern!) : extended ? pattern! : BasicRegex(pattern!), RegexOptions.CultureInvariant);
        var text = files.Count > 0 ? string.Concat(files.Select(ReadText)) : input;
        var found = new StringBuilder();
        foreach (var line in Lines(text))
        {
            if (only)
            {
                foreach (Match match in regex.Matches(line))
                {
                    if (match.Length > 0)
                    {
                        found.Append(match.Value).Append('\n');
                    }
                }
            }
            else if (regex.IsMatch(line))
            {
                found.Append(line).Append('\n');
            }
        }

        return found.ToString();
    }

    private static string Sed(List<string> args, string input)
    {
        var scripts = new List<string>();
        for (var i = 1; i < args.Count; i++)
        {
            scripts.Add(args[i] == "-e" && i + 1 < args.Count ? args[++i] : args[i].StartsWith('-') ? throw new NotSupportedException($"sed {args[i]}") : args[i]);
        }

        var substitutions = scripts.SelectMany(s => s.Split(';')).Select(s => s.Trim()).Where(s => s.Length > 0).Select(Substitution).ToList();
        var output = new StringBuilder();
        foreach (var line in Lines(input))
        {
            var edited = line;
            foreach (var (regex, replacement, global) in substitutions)
            {
                edited = regex.Replace(edited, replacement, global ? -1 : 1);
            }

            output.Append(edited).Append('\n');
        }

        return output.ToString();
    }

    /// <summary>One <c>s/pattern/replacement/[g]</c>; the replacement's <c>&amp;</c> is the match, anything else literal.</summary>
    private static (Regex Regex, string Replacement, bool Global) Substitution(string script)
    {
        if (script.Length < 4 || script[0] != 's')
        {
            throw new NotSupportedException($"sed '{script}': only s/pattern/replacement/ is understood");
        }

        var delimiter = script[1];
        var parts = new List<StringBuilder> { new() };
        for (var i = 2; i < script.Length; i++)
        {
            if (script[i] == '\\' && i + 1 < script.Length && script[i + 1] == delimiter)
            {
                parts[^1].Append(delimiter);
                i++;
            }
            else if (script[i] == delimiter)
            {
                parts.Add(new StringBuilder());
            }
            else
            {
                parts[^1].Append(script[i]);
            }
        }

        if (parts.Count != 3 || parts[2].ToString() is not ("" or "g"))
        {
            throw new NotSupportedException($"sed '{script}'");
        }

        var replacement = new StringBuilder();
        var text = parts[1].ToString();
        for (var i = 0; i < text.Length; i++)
        {
            replacement.Append(text[i] switch
            {
                '\\' when i + 1 < text.Length => text[++i] == '$' ? "$$" : text[i].ToString(),
                '&' => "$0",
                '$' => "$$",
                var c => c.ToString(),
            });
        }

        return (new Regex(BasicRegex(parts[0].ToString()), RegexOptions.CultureInvariant), replacement.ToString(), parts[2].ToString() == "g");
    }

    private string Tee(List<string> args, string input)
    {
        foreach (var file in args.Skip(1))
        {
            _files[file] = input;
        }

        return input;
    }

    /// <summary>A POSIX basic regular expression (grep and sed without -E) as a .NET one.</summary>
    internal static string BasicRegex(string pattern)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[++i];
                regex.Append("(){}|+?".Contains(next, StringComparison.Ordinal) ? next.ToString() : "\\" + next);
            }
            else if (c == '[')
            {
                // A bracket expression as it is; a backslash in it is a backslash.
                var end = pattern.IndexOf(']', i + (pattern.AsSpan(i + 1).StartsWith("^]") ? 3 : pattern.AsSpan(i + 1).StartsWith("]") ? 2 : 1));
                regex.Append(pattern[i..(end + 1)].Replace("\\", "\\\\", StringComparison.Ordinal));
                i = end;
            }
            else if ("(){}|+?".Contains(c, StringComparison.Ordinal) || (c == '$' && i != pattern.Length - 1) || (c == '^' && i != 0))
            {
                regex.Append('\\').Append(c);
            }
            else
            {
                regex.Append(c);
            }
        }

        return regex.ToString();
    }

    /// <summary>The lines of a command's output: the last newline ends a line rather than starting an empty one.</summary>
    private static IEnumerable<string> Lines(string text) =>
        text.Length == 0 ? [] : (text.EndsWith('\n') ? text[..^1] : text).Split('\n');
}
