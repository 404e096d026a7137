namespace BidEngine.OpenRtb.Tests;

/// <summary>The corpus itself: every fixture documented, and the external corpus found or refused loudly.</summary>
public sealed class CorpusTests
{
    [Fact]
    public void CorpusReadmeHasARowForEveryFixtureAndAFileForEveryRow()
    {
        var files = Corpus.Folders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Corpus.Root, folder)).Select(f => folder + "/" + Path.GetFileName(f)))
            .Order(StringComparer.Ordinal)
            .ToList();
        var rows = CorpusExpectations.All.Keys.Order(StringComparer.Ordinal).ToList();

        Assert.Equal(files, rows);
        Assert.All(Corpus.Folders, folder => Assert.Contains(rows, r => r.StartsWith(folder + "/", StringComparison.Ordinal)));
    }

    [Fact]
    public void CorpusHasBothBidsAndNoBidsAndEveryKindOfRefusal()
    {
        var rows = CorpusExpectations.All.Values.ToList();

        Assert.Contains(rows, r => r.Folder == "requests" && r.Bids && r.BidImps is null);
        Assert.Contains(rows, r => r.Folder == "requests" && r.Bids && r.BidImps is not null);
        Assert.Contains(rows, r => r.Folder == "requests" && r.Status == 204);
        Assert.Contains(rows, r => r.Gzip && r.Bids);
        Assert.Contains(rows, r => r.Folder == "offspec" && r.Bids);
        Assert.Contains(rows, r => r.Folder == "offspec" && r.Status == 400 && r.Field is not null);
        Assert.All(rows.Where(r => r.Folder == "requests"), r => Assert.NotEqual(400, r.Status));
        Assert.All(rows.Where(r => r.Folder == "malformed"), r => Assert.Equal((400, "not_json", (string?)null), (r.Status, r.Error, r.Field)));
    }

    [Theory]
    [InlineData("| `requests/a.json` | why | plain | `200 bid` |", "requests", "a.json", false, 200, null, null, null)]
    [InlineData("| `requests/b.json` | why, with | bars` | gzip | `200 bid on imps 1, x-2` |", "requests", "b.json", true, 200, null, null, "1|x-2")]
    [InlineData("| `requests/c.json` | why | plain | `204` |", "requests", "c.json", false, 204, null, null, null)]
    [InlineData("| `offspec/d.json` | why | plain | `400 wrong_type imp[].banner.w` |", "offspec", "d.json", false, 400, "wrong_type", "imp[].banner.w", null)]
    [InlineData("| `malformed/e.json` | why | plain | `400 not_json` |", "malformed", "e.json", false, 400, "not_json", null, null)]
    public void ReadsEveryFormOfACorpusReadmeRow(string line, string folder, string name, bool gzip, int status, string? error, string? field, string? imps)
    {
        var row = CorpusExpectations.ParseRow(line);

        Assert.Equal((folder, name, gzip, status, error, field), (row.Folder, row.Name, row.Gzip, row.Status, row.Error, row.Field));
        Assert.Equal(imps, row.BidImps is null ? null : string.Join('|', row.BidImps));
    }

    [Theory]
    [InlineData("| `requests/a.json` | why | plain | `200 bids` |")]
    [InlineData("| `requests/a.json` | why | plain | `500` |")]
    [InlineData("| `requests/a.json` | why | zip | `204` |")]
    [InlineData("| `other/a.json` | why | plain | `204` |")]
    [InlineData("| `requests/a.json` | why | plain | 204 |")]
    public void RefusesACorpusReadmeRowItCannotRead(string line) =>
        Assert.Throws<FormatException>(() => CorpusExpectations.ParseRow(line));

    [Fact]
    public void TakesNoExternalCorpusWhenTheVariableIsUnsetOrEmpty()
    {
        Assert.Null(Corpus.ResolveExternal(null));
        Assert.Null(Corpus.ResolveExternal(" "));
    }

    [Fact]
    public void FailsNamingThePathWhenTheExternalCorpusIsMissing()
    {
        var missing = Path.Combine(Path.GetTempPath(), "bidengine-no-corpus-" + Guid.NewGuid().ToString("N"));

        var ex = Assert.Throws<DirectoryNotFoundException>(() => Corpus.ResolveExternal(missing));

        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
        Assert.Contains(Corpus.Variable, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FailsWhenTheExternalCorpusLacksOneOfItsFolders()
    {
        var root = Path.Combine(Path.GetTempPath(), "bidengine-half-corpus-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "requests"));
        Directory.CreateDirectory(Path.Combine(root, "malformed"));
        try
        {
            var ex = Assert.Throws<DirectoryNotFoundException>(() => Corpus.ResolveExternal(root));
            Assert.Contains(Path.Combine(root, "offspec"), ex.Message, StringComparison.Ordinal);

            Directory.CreateDirectory(Path.Combine(root, "offspec"));
            Assert.Equal(Path.GetFullPath(root), Corpus.ResolveExternal(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void SkipsTheExternalCorpusTheoriesOnlyWhenTheVariableIsUnset()
    {
        var attribute = new ExternalCorpusTheoryAttribute();

        if (Corpus.ExternalRequested)
        {
            Assert.Null(attribute.Skip);
            Assert.NotEmpty(Corpus.ExternalNames("requests"));
        }
        else
        {
            Assert.Contains(Corpus.Variable, attribute.Skip, StringComparison.Ordinal);
            Assert.Empty(Corpus.ExternalNames("requests"));
        }
    }
}
