namespace BidEngine.Server.Tests.Docs;

/// <summary>
/// A README or docs page as the doc tests read it: its fenced blocks in order, each with the line it
/// opens on and the HTML comment just above it (<c>&lt;!-- varies: ... --&gt;</c>), and its prose lines.
/// </summary>
internal sealed class MarkdownPage
{
    private MarkdownPage(string name, string[] lines, List<FencedBlock> blocks, List<(int Line, string Text)> prose)
    {
        Name = name;
        Lines = lines;
        Blocks = blocks;
        Prose = prose;
    }

    /// <summary>The page's path from the repository root, with forward slashes: <c>docs/money.md</c>.</summary>
    public string Name { get; }

    public string[] Lines { get; }

    public IReadOnlyList<FencedBlock> Blocks { get; }

    /// <summary>Lines outside fenced blocks, numbered from 1.</summary>
    public IReadOnlyList<(int Line, string Text)> Prose { get; }

    /// <summary>The repository root: the folder above the test binary that holds <c>BidEngine.sln</c>.</summary>
    public static string RepositoryRoot { get; } = Path.GetDirectoryName(Corpus.Root)!;

    /// <summary>The README and every page in <c>docs/</c>, by their names from the root.</summary>
    public static IEnumerable<string> All() =>
        new[] { "README.md" }.Concat(Directory.EnumerateFiles(Path.Combine(RepositoryRoot, "docs"), "*.md")
            .Select(p => "docs/" + Path.GetFileName(p)).Order(StringComparer.Ordinal));

    public static MarkdownPage Read(string name) => Parse(name, File.ReadAllText(Path.Combine(RepositoryRoot, name)));

    /// <summary>A page from its text; <paramref name="name"/> is what failures call it.</summary>
    public static MarkdownPage Parse(string name, string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<FencedBlock>();
        var prose = new List<(int, string)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (!trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                prose.Add((i + 1, lines[i]));
                continue;
            }

            // A fence may be indented (inside a list item): its lines lose that indentation.
            var indent = lines[i].Length - trimmed.Length;
            var info = trimmed.TrimStart('`').Trim();
            var opened = i;
            var text = new List<string>();
            for (i++; i < lines.Length && lines[i].Trim() != "```"; i++)
            {
                text.Add(lines[i].Length >= indent && string.IsNullOrWhiteSpace(lines[i][..indent]) ? lines[i][indent..] : lines[i].TrimStart());
            }

            blocks.Add(new FencedBlock(info, string.Join('\n', text), opened + 1, CommentAbove(lines, opened)));
        }

        return new MarkdownPage(name, lines, blocks, prose);
    }

    /// <summary>The text of an HTML comment on the last non-blank line above a fence, if there is one.</summary>
    private static string? CommentAbove(string[] lines, int fence)
    {
        for (var i = fence - 1; i >= 0; i--)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            return line.StartsWith("<!--", StringComparison.Ordinal) && line.EndsWith("-->", StringComparison.Ordinal) ? line[4..^3].Trim() : null;
        }

        return null;
    }
}
