using System.Buffers;

namespace BidEngine.Benchmarks.Parsing;

/// <summary>Splits a body into segments of a given size, as Kestrel's pipe hands over a larger body.</summary>
internal sealed class Fragments : ReadOnlySequenceSegment<byte>
{
    private Fragments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Split(byte[] data, int size)
    {
        var first = new Fragments(data.AsMemory(0, Math.Min(size, data.Length)), 0);
        var last = first;
        for (var offset = size; offset < data.Length; offset += size)
        {
            var next = new Fragments(data.AsMemory(offset, Math.Min(size, data.Length - offset)), offset);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
