namespace BidEngine.Benchmarks.EndToEnd;

/// <summary>Finds the shipped config and model files from wherever BenchmarkDotNet runs the benchmark.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = Find();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "BidEngine.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("BidEngine.sln not found above " + AppContext.BaseDirectory);
    }
}
