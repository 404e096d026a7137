using System.Buffers;
using System.Globalization;
using MessagePack;

namespace BidEngine.Core.State;

/// <summary>
/// The whole embedded state at a checkpoint, one file <c>snapshot-{seq}.bin</c>: a header, then the
/// ledger, replay window, frequency table, outcome counts and shading as MessagePack sections (each
/// component writes and reads its own). Journal segments from <c>seq</c> on are replayed on top of it.
/// Written to a temporary file, fsynced and renamed, so a crash leaves the previous one whole.
/// </summary>
public static class StateSnapshot
{
    public const string Magic = "bidengine-state";

    public const int Version = 1;

    public static string PathFor(string folder, long sequence) => Path.Combine(folder, $"snapshot-{sequence:D8}.bin");

    public static bool TryParse(string path, out long sequence)
    {
        var name = Path.GetFileName(path);
        sequence = 0;
        return name.StartsWith("snapshot-", StringComparison.Ordinal) && name.EndsWith(".bin", StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(9, name.Length - 13), NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }

    /// <summary>Writes a snapshot: <paramref name="sections"/> writes the body after the header.</summary>
    public static void Write(string path, int epoch, MessagePackWriterAction sections)
    {
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(3);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(epoch);
        sections(ref writer);
        writer.Flush();
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        file.Write(buffer.WrittenSpan);
        file.Flush(flushToDisk: true);
    }

    /// <summary>Reads a snapshot's header (returns the epoch it recorded) and lets <paramref name="sections"/> read the body.</summary>
    public static int Read(string path, MessagePackReaderAction sections)
    {
        var bytes = File.ReadAllBytes(path);
        var reader = new MessagePackReader(bytes);
        reader.ReadArrayHeader();
        if (reader.ReadString() != Magic || reader.ReadInt32() != Version)
        {
            throw new InvalidDataException($"{path} is not a BidEngine state snapshot of version {Version}.");
        }

        var epoch = reader.ReadInt32();
        sections(ref reader);
        return epoch;
    }

    public delegate void MessagePackWriterAction(ref MessagePackWriter writer);

    public delegate void MessagePackReaderAction(ref MessagePackReader reader);
}
