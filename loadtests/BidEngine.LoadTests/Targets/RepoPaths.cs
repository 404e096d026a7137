namespace BidEngine.LoadTests.Targets;

/// <summary>Finds the repository root (the folder holding BidEngine.sln) and what lives beside it.</summary>
public static class RepoPaths
{
    public static string? FindRoot(string? from = null)
    {
        foreach (var start in new[] { from, Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                // BidEngine.sln marks the root; Directory.Packages.props with loadtests/ beside it is the fallback
                // while the solution file does not exist yet.
                if (File.Exists(Path.Combine(dir.FullName, "BidEngine.sln"))
                    || File.Exists(Path.Combine(dir.FullName, "BidEngine.slnx"))
                    || (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")) && Directory.Exists(Path.Combine(dir.FullName, "loadtests"))))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    /// <summary>&lt;repo root&gt;/corpus/requests: the repository's own OpenRTB requests, so a bare clone has a corpus.</summary>
    public static string? CorpusRequests(string? root) =>
        root is null ? null : Path.Combine(root, "corpus", "requests");

    public static string ServerDll(string root) =>
        Path.Combine(root, "src", "BidEngine.Server", "bin", "Release", "net10.0", "BidEngine.Server.dll");

    public static string DefaultThresholds(string? root) =>
        Path.Combine(root ?? ".", "loadtests", "loadtest.thresholds.json");
}
