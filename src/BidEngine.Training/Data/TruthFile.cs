using System.Buffers.Binary;

namespace BidEngine.Training.Data;

/// <summary>
/// The simulator's sidecar: the true click probability of every <c>BidEvent</c> of an event
/// file, in the file's order, as little-endian float32s after an 8-byte magic. Only simulated
/// data has one; the evaluator uses it for the ceiling.
/// </summary>
internal sealed class TruthFile : IDisposable
{
    private static ReadOnlySpan<byte> Magic => "BETRUTH1"u8;

    private readonly Stream _stream;

    private TruthFile(Stream stream)
    {
        _stream = stream;
        _stream.Write(Magic);
    }

    /// <summary><c>data/sim.msgpack</c> → <c>data/sim.truth.bin</c>.</summary>
    public static string PathFor(string eventsPath) => Path.ChangeExtension(eventsPath, ".truth.bin");

    public static TruthFile Create(string path) => new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16));

    public void Write(float p)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, p);
        _stream.Write(bytes);
    }

    /// <summary>The probabilities, or null when there is no sidecar.</summary>
    public static float[]? TryRead(string eventsPath)
    {
        var path = PathFor(eventsPath);
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{path}: not a truth sidecar");
        }

        var values = new float[(bytes.Length - Magic.Length) / 4];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(Magic.Length + (i * 4)));
        }

        return values;
    }

    public void Dispose() => _stream.Dispose();
}
