using System.Runtime.CompilerServices;

namespace BidEngine.Core.Events;

/// <summary>
/// Reads a folder the bid log wrote (or a single file): its files in name order, which is time
/// order, each record once. A torn last record of any file is skipped and reported.
/// </summary>
public static class EventLogFolder
{
    /// <summary>The log files of <paramref name="path"/> (a folder), oldest first; or the file itself.</summary>
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

        return RotatingEventFiles.List(path);
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
