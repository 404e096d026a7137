namespace BidEngine.Server.Hosting;

/// <summary>
/// Finds the folders the bidder reads live: <c>config/</c> (settings, campaigns) and <c>models/</c>
/// (model, priors). Run from source, they are the repository's own folders, found by walking up
/// from the binary to <c>BidEngine.sln</c>, so that editing <c>config/campaigns.json</c> changes
/// the running bidder; the copies the build puts beside the binary are used only when there is no
/// repository above it (a published or containerised bidder).
/// </summary>
internal static class ConfigFolder
{
    /// <summary>Setting (and <c>--config</c>) naming the config folder; command line or environment only, as the settings file lives in it.</summary>
    public const string ConfigSetting = "BidEngine:ConfigFolder";

    /// <summary>Setting (and <c>--models</c>) naming the models folder.</summary>
    public const string ModelsSetting = "BidEngine:ModelsFolder";

    /// <summary>The file of shipped defaults inside the config folder.</summary>
    public const string SettingsFile = "bidengine.json";

    /// <summary>Short command-line forms: <c>--config &lt;folder&gt;</c> and <c>--models &lt;folder&gt;</c>.</summary>
    public static IDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["--config"] = ConfigSetting,
        ["--models"] = ModelsSetting,
    };

    /// <summary>
    /// The folder named by <paramref name="configured"/> (relative to the working directory), or
    /// by default <paramref name="name"/> in the repository above <paramref name="binaryFolder"/>,
    /// else beside the binary.
    /// </summary>
    public static string Find(string? configured, string name, string binaryFolder)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        var root = RepositoryRoot(binaryFolder);
        if (root is not null && Directory.Exists(Path.Combine(root, name)))
        {
            return Path.Combine(root, name);
        }

        return Path.Combine(binaryFolder, name);
    }

    /// <summary>The nearest folder above <paramref name="binaryFolder"/> holding <c>BidEngine.sln</c>; null when the binary is not in a source tree.</summary>
    public static string? RepositoryRoot(string binaryFolder)
    {
        for (var dir = new DirectoryInfo(binaryFolder); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BidEngine.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>A relative path is taken from <paramref name="folder"/>; an absolute one as it is.</summary>
    public static string Resolve(string folder, string path) => Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(folder, path));
}
