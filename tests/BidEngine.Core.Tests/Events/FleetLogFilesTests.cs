using BidEngine.Core.Events;

namespace BidEngine.Core.Tests.Events;

/// <summary>A fleet's bid logs: files named by node, each node trimming only its own, and many nodes' folders read as one log in time order.</summary>
public sealed class FleetLogFilesTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("bidengine-fleet-log-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void ANodeTrimsOnlyItsOwnFilesInAFolderItShares()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var record = new byte[3000];
        using (var other = new RotatingEventFiles(_root.FullName, 4096, TimeSpan.FromHours(1), 0, time, "node-b"))
        {
            other.Write(record);
        }

        using (var node = new RotatingEventFiles(_root.FullName, 4096, TimeSpan.FromHours(1), 8192, time, "node-a"))
        {
            for (var i = 0; i < 5; i++)
            {
                time.Advance(TimeSpan.FromSeconds(1));
                node.Write(record); // 3000 B a file: each write after the first rotates, then trims to 8192 B
            }
        }

        var files = RotatingEventFiles.List(_root.FullName);
        Assert.Single(files, f => RotatingEventFiles.NodeOf(f) == "node-b");
        Assert.Equal(2, files.Count(f => RotatingEventFiles.NodeOf(f) == "node-a"));
    }

    [Fact]
    public void AParentFolderOfNodeFoldersReadsAsOneLogInTimeOrder()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var a = Path.Combine(_root.FullName, "a");
        var b = Path.Combine(_root.FullName, "b");
        foreach (var (folder, node) in new[] { (a, "node-a"), (b, "node-b"), (a, "node-a"), (b, "node-b") })
        {
            time.Advance(TimeSpan.FromSeconds(1));
            using var files = new RotatingEventFiles(folder, 4096, TimeSpan.FromHours(1), 0, time, node);
            files.Write([1]);
        }

        var read = EventLogFolder.Files(_root.FullName);
        Assert.Equal(["node-a", "node-b", "node-a", "node-b"], read.Select(RotatingEventFiles.NodeOf));
        Assert.Equal(read.Select(Path.GetFileName).Order(StringComparer.Ordinal), read.Select(Path.GetFileName));
    }
}
