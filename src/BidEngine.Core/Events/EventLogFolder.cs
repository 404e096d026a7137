using System.Runtime.CompilerServices;

namespace BidEngine.Core.Events;

/// <summary>
/// Reads a folder the bid log wrote (or a single file): its files in name order, which is time
/// order, each record once. A fleet's logs gathered as one folder per node under a parent folder are
/// read together, all files in time order. A torn last record of any file is skipped and reported.
/// </summary>
public static class EventLogFolder
{
    /// <summary>The log files of <paramref name="path"/> (a folder, with those of its immediate subfolders: one per node), oldest first; or the file itself.</summary>
    public static string[] Files(string path)
    {
        if (File.Exists(path))
        {
            return [path];
        }

        if (!Directory.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' is neither an event log file nor a folder of them", path);
        }

        var files = RotatingEventFiles.List(path).Concat(Directory.GetDirectories(path).SelectMany(RotatingEventFiles.List)).ToArray();
        Array.Sort(files, static (a, b) => string.CompareOrdinal(Path.GetFileName(a), Path.GetFileName(b)));
        return files;
    }

    public static async IAsyncEnumerable<EventRecord> ReadAllAsync(string path, Action<string>? warn = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var file in Files(path))
        {
            using var reader = EventStreamReader.Open(file, warn);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } record)
            {
                yield return record;
            }
        }
    }
}
