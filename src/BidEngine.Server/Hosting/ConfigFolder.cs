namespace BidEngine.Server.Hosting;

/// <summary>
/// Finds the shipped defaults: <c>config/</c> and <c>models/</c> are copied next to the binary at
/// build time, so the server finds them from any working directory.
/// </summary>
internal static class ConfigFolder
{
    public static string Config => Path.Combine(AppContext.BaseDirectory, "config");

    public static string Models => Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>A relative path is taken from <paramref name="folder"/>; an absolute one as it is.</summary>
    public static string Resolve(string folder, string path) => Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(folder, path));
}
