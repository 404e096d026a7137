using System.Buffers.Binary;
using System.Numerics;

namespace BidEngine.Core.State;

/// <summary>CRC-32C of a frame (the CPU's instruction where it has one), to find a frame a crash cut short or a disk garbled.</summary>
internal static class Crc
{
    public static uint Of(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}
