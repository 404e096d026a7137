using System.Buffers.Binary;
using MessagePack;

namespace BidEngine.Core.State;

/// <summary>Reads a journal segment back, frame by frame; a frame cut short or with a wrong checksum ends it (a crash's torn tail).</summary>
public static class StateJournalReader
{
    /// <summary>Calls <paramref name="apply"/> for every record of every whole frame; returns how many records, and whether the segment ended torn.</summary>
    public static (long Records, bool Torn) Read(string path, Action<StateRecord> apply)
    {
        var bytes = File.ReadAllBytes(path);
        var span = bytes.AsMemory();
        long records = 0;
        while (span.Length > 0)
        {
            if (span.Length < 8)
            {
                return (records, true);
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(span.Span);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(span.Span[4..]);
            if (length > span.Length - 8 || Crc.Of(span.Span.Slice(8, (int)length)) != crc)
            {
                return (records, true);
            }

            var reader = new MessagePackReader(span.Slice(8, (int)length));
            while (!reader.End)
            {
                apply(StateRecordFormat.Read(ref reader));
                records++;
            }

            span = span[(8 + (int)length)..];
        }

        return (records, false);
    }
}
