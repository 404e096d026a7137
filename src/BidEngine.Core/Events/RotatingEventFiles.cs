using System.Globalization;

namespace BidEngine.Core.Events;

/// <summary>
/// The log's files in one folder: appends records to the current file and begins the next when it
/// would pass <c>MaxFileBytes</c> or is older than <c>MaxFileAgeSeconds</c>; after each rotation,
/// deletes the oldest files while the folder holds more than <c>MaxTotalBytes</c> (0: never).
/// Names sort in time order (<c>events-20250101T120000.000Z-000001.msgpack</c>, or with the node of a
/// fleet before the extension: <c>...-000001.node-a.msgpack</c>), so a reader takes them by name, and
/// many nodes' files gathered in one place still read in time order. A node deletes only files of its
/// own name. Used by the one writer thread only.
/// </summary>
public sealed class RotatingEventFiles : IDisposable
{
    public const string Prefix = "events-";
    public const string Extension = ".msgpack";

    /// <summary>64 KiB: a write syscall per ~250 bid records; also the most a crash can tear off past the last flush.</summary>
    private const int BufferBytes = 64 << 10;

    private readonly string _folder;
    private readonly long _maxFileBytes;
    private readonly long _maxAgeTicks;
    private readonly long _maxTotalBytes;
    private readonly TimeProvider _time;
    private readonly string _suffix;
    private FileStream? _current;
    private long _currentBytes;
    private long _openedAt;
    private int _sequence;

    public RotatingEventFiles(string folder, long maxFileBytes, TimeSpan maxAge, long maxTotalBytes, TimeProvider time, string node = "")
    {
        _suffix = string.IsNullOrEmpty(node) ? Extension : "." + node + Extension;
        _folder = Path.GetFullPath(folder);
        _maxFileBytes = maxFileBytes;
        _maxAgeTicks = maxAge.Ticks;
        _maxTotalBytes = maxTotalBytes;
        _time = time;
        Directory.CreateDirectory(_folder);
    }

    /// <summary>The file being written; null before the first record and after a rotation by age.</summary>
    public string? CurrentPath => _current?.Name;

    public long FilesOpened { get; private set; }

    public long FilesDeleted { get; private set; }

    public long BytesWritten { get; private set; }

    public void Write(ReadOnlySpan<byte> record)
    {
        if (_current is not null && (_currentBytes + record.Length > _maxFileBytes || IsOld()))
        {
            Close();
        }

        if (_current is null)
        {
            Open();
        }

        _current!.Write(record);
        _currentBytes += record.Length;
        BytesWritten += record.Length;
    }

    /// <summary>Hands buffered bytes to the OS (not to the disk: a killed process loses nothing the OS has).</summary>
    public void Flush() => _current?.Flush(flushToDisk: false);

    /// <summary>Closes the current file once it is too old, so that a quiet bidder still hands finished files on.</summary>
    public void CloseIfOld()
    {
        if (_current is not null && IsOld())
        {
            Close();
        }
    }

    /// <summary>The folder's log files (every node's), oldest first.</summary>
    public static string[] List(string folder)
    {
        var files = Directory.GetFiles(folder, Prefix + "*" + Extension);
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    /// <summary>The node a log file was written by ("" for an unnamed bidder's).</summary>
    public static string NodeOf(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var secondDot = dot < 0 ? -1 : name.IndexOf('.', dot + 1);
        return secondDot < 0 ? "" : name[(secondDot + 1)..];
    }

    public void Dispose() => Close();

    private bool IsOld() => _time.GetUtcNow().UtcTicks - _openedAt >= _maxAgeTicks;

    private void Open()
    {
        var now = _time.GetUtcNow();
        while (true)
        {
            _sequence++;
            var name = Prefix + now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture)
                + "-" + _sequence.ToString("D6", CultureInfo.InvariantCulture) + _suffix;
            try
            {
                // CreateNew: a second bidder on the same folder (or a restart within the millisecond) never overwrites.
                _current = new FileStream(Path.Combine(_folder, name), FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, BufferBytes);
                break;
            }
            catch (IOException) when (File.Exists(Path.Combine(_folder, name)))
            {
            }
        }

        _currentBytes = 0;
        _openedAt = now.UtcTicks;
        FilesOpened++;
    }

    private void Close()
    {
        if (_current is null)
        {
            return;
        }

        _current.Flush(flushToDisk: false);
        _current.Dispose();
        _current = null;
        if (_maxTotalBytes > 0)
        {
            Trim();
        }
    }

    private void Trim()
    {
        // Only this node's files: in a folder shared by a fleet, another node's are not this one's to delete.
        var own = _suffix == Extension ? "" : _suffix[1..^Extension.Length];
        var files = Array.FindAll(List(_folder), f => NodeOf(f) == own);
        var sizes = new long[files.Length];
        long total = 0;
        for (var i = 0; i < files.Length; i++)
        {
            sizes[i] = new FileInfo(files[i]).Length;
            total += sizes[i];
        }

        for (var i = 0; i < files.Length && total > _maxTotalBytes; i++)
        {
            try
            {
                File.Delete(files[i]);
                total -= sizes[i];
                FilesDeleted++;
            }
            catch (IOException)
            {
                // Open elsewhere (a reader on Windows): tried again at the next rotation.
            }
        }
    }
}
