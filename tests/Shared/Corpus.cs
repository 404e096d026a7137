namespace BidEngine.Tests.Shared;

/// <summary>
/// Linked into each test project that needs it. Two OpenRTB corpora, each a folder with
/// <c>requests/</c>, <c>offspec/</c> and <c>malformed/</c>: the repository's own <c>corpus/</c>, always
/// used, and an external one that only <see cref="Variable"/> names (an extra conformance run; see
/// <see cref="ExternalCorpusTheoryAttribute"/> for how it is reported when not asked for).
/// </summary>
internal static class Corpus
{
    public const string Variable = "BIDENGINE_OPENRTB_CORPUS";

    public static readonly string[] Folders = ["requests", "offspec", "malformed"];

    private static readonly Lazy<string> s_external = new(() =>
        ResolveExternal(Environment.GetEnvironmentVariable(Variable)) ?? throw new InvalidOperationException($"{Variable} is not set."));

    /// <summary>The repository's <c>corpus/</c> folder.</summary>
    public static string Root { get; } = Path.Combine(RepositoryRoot(), "corpus");

    /// <summary>True when <see cref="Variable"/> asks for the external corpus (set and not empty).</summary>
    public static bool ExternalRequested => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable));

    /// <summary>The external corpus; throws naming the path when the variable points at no corpus.</summary>
    public static string ExternalRoot => s_external.Value;

    public static IEnumerable<string> Files(string folder) => FilesIn(Root, folder);

    public static TheoryData<string> Names(string folder) => NamesIn(Root, folder);

    public static byte[] Read(string folder, string name) => File.ReadAllBytes(Path.Combine(Root, folder, name));

    /// <summary>The external corpus's file names; empty when it was not asked for (its theories are skipped then).</summary>
    public static TheoryData<string> ExternalNames(string folder) => ExternalRequested ? NamesIn(ExternalRoot, folder) : [];

    public static IEnumerable<string> ExternalFiles(string folder) => FilesIn(ExternalRoot, folder);

    public static byte[] ReadExternal(string folder, string name) => File.ReadAllBytes(Path.Combine(ExternalRoot, folder, name));

    /// <summary>
    /// The external corpus folder a value of <see cref="Variable"/> names (relative to the working
    /// directory), or null for none. A value naming no folder, or a folder without the three
    /// subfolders, throws: a conformance run that was asked for must not pass by running nothing.
    /// </summary>
    public static string? ResolveExternal(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var root = Path.GetFullPath(value);
        foreach (var folder in Folders)
        {
            var path = Path.Combine(root, folder);
            if (!Directory.Exists(path))
            {
                throw new DirectoryNotFoundException($"{Variable} is set to {value}, but the OpenRTB corpus folder {path} does not exist.");
            }
        }

        return root;
    }

    private static IEnumerable<string> FilesIn(string root, string folder) =>
        Directory.EnumerateFiles(Path.Combine(root, folder), "*.json").Order(StringComparer.Ordinal);

    private static TheoryData<string> NamesIn(string root, string folder)
    {
        var data = new TheoryData<string>();
        foreach (var file in FilesIn(root, folder))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BidEngine.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("BidEngine.sln not found above " + AppContext.BaseDirectory);
    }
}
