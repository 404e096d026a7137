using System.Text.RegularExpressions;

namespace BidEngine.Tests.Shared;

/// <summary>
/// Reads the table of <c>corpus/README.md</c>, so that the answers the README promises are the ones
/// the tests check. A row the reader does not understand throws: a typo must fail, not drop a check.
/// </summary>
internal static partial class CorpusExpectations
{
    private static readonly Lazy<IReadOnlyDictionary<string, CorpusExpectation>> s_all = new(Load);

    /// <summary>Every row, by <c>folder/name</c>.</summary>
    public static IReadOnlyDictionary<string, CorpusExpectation> All => s_all.Value;

    public static CorpusExpectation Of(string folder, string name) =>
        All.TryGetValue(folder + "/" + name, out var expectation) ? expectation : throw new KeyNotFoundException($"corpus/README.md has no row for {folder}/{name}");

    /// <summary>Every <c>folder/name</c> in the table, as theory data.</summary>
    public static TheoryData<string, string> Rows()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in All.Values.OrderBy(r => r.File, StringComparer.Ordinal))
        {
            data.Add(row.Folder, row.Name);
        }

        return data;
    }

    public static CorpusExpectation ParseRow(string line)
    {
        var match = RowPattern().Match(line);
        if (!match.Success)
        {
            throw new FormatException($"corpus/README.md: cannot read the row {line}");
        }

        var owes = OwesPattern().Match(match.Groups["owes"].Value);
        if (!owes.Success)
        {
            throw new FormatException($"corpus/README.md: cannot read what the bidder owes in {line}");
        }

        var sent = match.Groups["sent"].Value;
        if (sent is not ("plain" or "gzip"))
        {
            throw new FormatException($"corpus/README.md: 'sent' must be plain or gzip in {line}");
        }

        var status = int.Parse(owes.Groups["status"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var imps = owes.Groups["imps"].Success
            ? owes.Groups["imps"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : null;
        return new CorpusExpectation(
            match.Groups["folder"].Value,
            match.Groups["name"].Value,
            sent == "gzip",
            status,
            owes.Groups["error"].Success ? owes.Groups["error"].Value : null,
            owes.Groups["field"].Success ? owes.Groups["field"].Value : null,
            imps);
    }

    private static Dictionary<string, CorpusExpectation> Load()
    {
        var rows = new Dictionary<string, CorpusExpectation>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(Corpus.Root, "README.md")))
        {
            // Table rows about a file start with its path as code; the header and separator do not.
            if (!line.StartsWith("| `", StringComparison.Ordinal))
            {
                continue;
            }

            var row = ParseRow(line);
            if (!rows.TryAdd(row.File, row))
            {
                throw new FormatException($"corpus/README.md lists {row.File} twice");
            }
        }

        return rows;
    }

    [GeneratedRegex(@"^\| `(?<folder>requests|offspec|malformed)/(?<name>[^`/]+\.json)` \| .+ \| (?<sent>[a-z]+) \| `(?<owes>[^`]+)` \|$")]
    private static partial Regex RowPattern();

    [GeneratedRegex(@"^(?:(?<status>200) bid(?: on imps (?<imps>[^ ,]+(?:, [^ ,]+)*))?|(?<status>204)|(?<status>400) (?<error>[a-z_]+)(?: (?<field>\S+))?)$")]
    private static partial Regex OwesPattern();
}
