using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BidEngine.Core.Traffic;

/// <summary>
/// Known web spiders and bots by user agent, from the crawler-user-agents list (MIT; its patterns are
/// case-sensitive regular expressions), made into one matcher at start:
/// <list type="bullet">
/// <item>patterns that are text (1,493 of the 1,500 in the shipped list, after expanding classes such
/// as <c>[wW]</c> and plain groups) go into one <see cref="LiteralSet"/>, searched in one pass over the
/// user agent's UTF-8 bytes; those anchored with <c>^</c> or <c>$</c> are checked as prefixes and suffixes;</item>
/// <item>the other 7 are one compiled <see cref="Regex"/>, run only when the user agent holds the
/// text one of them needs (noted by the same pass), or always for a pattern without any.</item>
/// </list>
/// A browser's user agent seen for the first time costs about 0.4 µs, and one seen before (a small cache
/// keyed by its hash) about 20 ns; the whole list as one compiled regular expression takes 7-10 ms, and a
/// <see cref="System.Buffers.SearchValues{T}"/> of its texts 1.0 µs; RegexOptions.NonBacktracking refuses
/// the list (its automaton would pass the runtime's 10,000-node limit). TrafficCheckBenchmarks, on a
/// busy 2-core machine. Nothing is allocated. The patterns are immutable: a new file makes a new matcher.
/// </summary>
public sealed class BotMatcher
{
    private const int SeenEntries = 8192;

    /// <summary>Seeds the cache's hash: a process's own, so that nobody outside can aim user agents at one entry.</summary>
    private static readonly ulong SeenSeed = (ulong)Random.Shared.NextInt64();

    /// <summary>User agents are read up to this many bytes; a longer one is judged on its start (the impossible-user-agent check refuses those).</summary>
    public const int MaxUserAgentBytes = 2048;

    private readonly LiteralSet _texts;
    private readonly byte[][] _starts;
    private readonly byte[][] _ends;
    private readonly byte[][] _wholes;
    private readonly Regex? _filtered;
    private readonly Regex? _always;

    /// <summary>
    /// Answers for user agents seen before: a few thousand user agents make most of an exchange's
    /// traffic. Direct-mapped by a 64-bit hash of the user agent; each entry is the hash with its low
    /// bit replaced by the answer, written and read whole (atomic), so threads share it without locks.
    /// A hit costs the hash (~20 ns for a browser's user agent) instead of the search. A false hit needs
    /// two user agents to agree in 63 bits of hash: not a worry. 64 KiB per matcher.
    /// </summary>
    private readonly ulong[] _seen = new ulong[SeenEntries];

    private BotMatcher(IReadOnlyList<string> patterns, RegexOptions regexOptions)
    {
        var anywhere = new List<string>();
        var starts = new List<string>();
        var ends = new List<string>();
        var wholes = new List<string>();
        var filtered = new List<string>();
        var required = new List<string>();
        var always = new List<string>();
        foreach (var pattern in patterns)
        {
            if (UserAgentPatterns.Expand(pattern) is { } literals)
            {
                foreach (var literal in literals)
                {
                    (literal.Anchor switch
                    {
                        UserAgentPatterns.Anchor.Start => starts,
                        UserAgentPatterns.Anchor.End => ends,
                        UserAgentPatterns.Anchor.Whole => wholes,
                        _ => anywhere,
                    }).Add(literal.Text);
                }

                continue;
            }

            if (UserAgentPatterns.RequiredText(pattern) is { } text)
            {
                filtered.Add(pattern);
                required.Add(text);
            }
            else
            {
                always.Add(pattern);
            }
        }

        _texts = new LiteralSet(anywhere, required);
        _starts = [.. starts.Distinct(StringComparer.Ordinal).Select(Encoding.UTF8.GetBytes)];
        _ends = [.. ends.Distinct(StringComparer.Ordinal).Select(Encoding.UTF8.GetBytes)];
        _wholes = [.. wholes.Distinct(StringComparer.Ordinal).Select(Encoding.UTF8.GetBytes)];
        if (filtered.Count > 0)
        {
            _filtered = Alternation(filtered, regexOptions);
        }

        _always = always.Count > 0 ? Alternation(always, regexOptions) : null;
        Patterns = patterns.Count;
        TextPatterns = patterns.Count - filtered.Count - always.Count;
    }

    /// <summary>Patterns in the list.</summary>
    public int Patterns { get; }

    /// <summary>Patterns matched as text, without a regular expression.</summary>
    public int TextPatterns { get; }

    /// <summary>A matcher of no patterns: matches nothing.</summary>
    public static BotMatcher Empty { get; } = new([], RegexOptions.None);

    public static BotMatcher Create(IReadOnlyList<string> patterns)
    {
        foreach (var pattern in patterns)
        {
            try
            {
                _ = new Regex(pattern, RegexOptions.CultureInvariant);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"pattern '{pattern}' is not a regular expression: {e.Message}", e);
            }
        }

        return new BotMatcher(patterns, RegexOptions.Compiled | RegexOptions.CultureInvariant);
    }

    /// <summary>
    /// The list in crawler-user-agents' format: a JSON array of objects, each with a <c>pattern</c> (a
    /// case-sensitive regular expression); other fields are ignored. An operator's own file in the same
    /// shape replaces it. A file that is not that shape, or a pattern that does not compile, refuses the file.
    /// </summary>
    public static BotMatcher Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Create(ReadPatterns(stream));
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    public static List<string> ReadPatterns(Stream json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("the bot list must be a JSON array of objects with a \"pattern\"");
        }

        var patterns = new List<string>();
        var index = 0;
        foreach (var item in document.RootElement.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("pattern", out var pattern) || pattern.ValueKind != JsonValueKind.String || pattern.GetString() is not { Length: > 0 } text)
            {
                throw new InvalidDataException($"item {index} has no \"pattern\" string");
            }

            patterns.Add(text);
            index++;
        }

        return patterns;
    }

    /// <summary>True when the user agent (UTF-8, as the request holds it) matches a pattern of the list.</summary>
    public bool IsMatch(ReadOnlySpan<byte> userAgent)
    {
        if (userAgent.IsEmpty)
        {
            return false;
        }

        if (userAgent.Length > MaxUserAgentBytes)
        {
            userAgent = userAgent[..MaxUserAgentBytes];
        }

        var hash = System.IO.Hashing.XxHash3.HashToUInt64(userAgent, (long)SeenSeed) | 1;
        ref var seen = ref _seen[(int)(hash >> (64 - 13))];
        var entry = Volatile.Read(ref seen);
        if ((entry | 1) == hash)
        {
            return (entry & 1) == 1;
        }

        var bot = Search(userAgent);
        Volatile.Write(ref seen, bot ? hash : hash & ~1UL);
        return bot;
    }

    /// <summary>The search itself, past the cache (the benchmarks time it alone).</summary>
    internal bool Search(ReadOnlySpan<byte> userAgent)
    {
        // The patterns are matched on the UTF-8 bytes: for text, a byte match is a character match.
        // One pass finds the texts, and notes the text any regular expression needs.
        var found = _texts.Search(userAgent);
        if (found == LiteralSet.Found.Match)
        {
            return true;
        }

        foreach (var start in _starts)
        {
            if (userAgent.StartsWith(start))
            {
                return true;
            }
        }

        foreach (var end in _ends)
        {
            if (userAgent.EndsWith(end))
            {
                return true;
            }
        }

        foreach (var whole in _wholes)
        {
            if (userAgent.SequenceEqual(whole))
            {
                return true;
            }
        }

        var filtered = _filtered is not null && found == LiteralSet.Found.Hint;
        return (filtered || _always is not null) && MatchesExpression(userAgent, filtered);
    }

    /// <summary>The patterns that stay regular expressions, on the user agent as characters (a stack buffer; invalid UTF-8 becomes U+FFFD).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private bool MatchesExpression(ReadOnlySpan<byte> userAgent, bool filtered)
    {
        Span<char> chars = stackalloc char[MaxUserAgentBytes];
        var text = chars[..Encoding.UTF8.GetChars(userAgent, chars)];
        return (filtered && _filtered!.IsMatch(text)) || (_always is not null && _always.IsMatch(text));
    }

    /// <summary>The list as one regular expression of every pattern: for the benchmarks' comparison and the tests' cross-check.</summary>
    internal static Regex Alternation(IEnumerable<string> patterns, RegexOptions options) =>
        new(string.Join('|', patterns.Select(p => "(?:" + p + ")")), options | RegexOptions.CultureInvariant);
}
