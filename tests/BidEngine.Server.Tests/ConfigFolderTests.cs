using BidEngine.Server.Hosting;

namespace BidEngine.Server.Tests;

/// <summary>Where the live config and models are: the repository's folders when run from source, else beside the binary, unless a setting names them.</summary>
public sealed class ConfigFolderTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("bidengine-tree-");

    [Fact]
    public void RunFromSourceUsesTheRepositorysFolderNotTheCopyBesideTheBinary()
    {
        File.WriteAllText(Path.Combine(_root.FullName, "BidEngine.sln"), "");
        var repoConfig = Directory.CreateDirectory(Path.Combine(_root.FullName, "config")).FullName;
        var binary = Directory.CreateDirectory(Path.Combine(_root.FullName, "src", "BidEngine.Server", "bin", "Release", "net10.0")).FullName;
        Directory.CreateDirectory(Path.Combine(binary, "config"));

        Assert.Equal(repoConfig, ConfigFolder.Find(null, "config", binary));
    }

    [Fact]
    public void WithoutARepositoryAboveItUsesTheFolderBesideTheBinary()
    {
        var binary = Directory.CreateDirectory(Path.Combine(_root.FullName, "app")).FullName;

        Assert.Equal(Path.Combine(binary, "models"), ConfigFolder.Find("", "models", binary));
    }

    [Fact]
    public void ASettingNamesTheFolderRelativeToTheWorkingDirectory()
    {
        File.WriteAllText(Path.Combine(_root.FullName, "BidEngine.sln"), "");
        Directory.CreateDirectory(Path.Combine(_root.FullName, "config"));

        Assert.Equal(Path.GetFullPath("live-config"), ConfigFolder.Find("live-config", "config", _root.FullName));
    }

    public void Dispose() => _root.Delete(recursive: true);
}
