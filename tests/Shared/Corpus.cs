namespace BidEngine.Tests.Shared;

/// <summary>Linked into each test project that needs it. The shared OpenRTB corpus: <c>../shared/openrtb</c> beside the repository root.</summary>
internal static class Corpus
{
    public static string Root { get; } = FindRoot();

    public static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*.json").Order(StringComparer.Ordinal);

    public static TheoryData<string> Names(string folder)
    {
        var data = new TheoryData<string>();
        foreach (var file in Files(folder))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    public static byte[] Read(string folder, string name) => File.ReadAllBytes(Path.Combine(Root, folder, name));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BidEngine.sln")))
            {
                var corpus = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "openrtb"));
                return Directory.Exists(corpus) ? corpus : throw new DirectoryNotFoundException($"OpenRTB corpus not found at {corpus}");
            }
        }

        throw new DirectoryNotFoundException("BidEngine.sln not found above " + AppContext.BaseDirectory);
    }
}
