using System.Numerics;
using System.Text;
using BidEngine.Core.Features;

namespace BidEngine.Core.Supply;

/// <summary>
/// An immutable map from one or two UTF-8 keys (a domain; a domain and an account id) to a value,
/// asked with spans straight from a request: open addressing over 64-bit hashes with the keys kept
/// for the final compare, at most half full. Built once per file load; 0 B per lookup.
/// </summary>
internal sealed class Utf8Table<T>
{
    private const ulong FirstSeed = 0x5EC0DE5EEDUL;

    private readonly ulong[] _hashes;
    private readonly byte[][] _firsts;
    private readonly byte[][] _seconds;
    private readonly T[] _values;
    private readonly int _mask;

    public Utf8Table(IReadOnlyCollection<KeyValuePair<(string First, string Second), T>> entries)
    {
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(4, entries.Count * 2));
        _hashes = new ulong[size];
        _firsts = new byte[size][];
        _seconds = new byte[size][];
        _values = new T[size];
        _mask = size - 1;
        foreach (var ((first, second), value) in entries)
        {
            var a = Encoding.UTF8.GetBytes(first);
            var b = Encoding.UTF8.GetBytes(second);
            var hash = Hash(a, b);
            var i = (int)hash & _mask;
            while (_firsts[i] is not null)
            {
                if (_hashes[i] == hash && _firsts[i].AsSpan().SequenceEqual(a) && _seconds[i].AsSpan().SequenceEqual(b))
                {
                    throw new ArgumentException($"key ({first}, {second}) given twice", nameof(entries));
                }

                i = (i + 1) & _mask;
            }

            _hashes[i] = hash;
            _firsts[i] = a;
            _seconds[i] = b;
            _values[i] = value;
        }

        Count = entries.Count;
    }

    public int Count { get; }

    public bool TryGet(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, out T value)
    {
        var hash = Hash(first, second);
        var i = (int)hash & _mask;
        while (_firsts[i] is { } stored)
        {
            if (_hashes[i] == hash && stored.AsSpan().SequenceEqual(first) && _seconds[i].AsSpan().SequenceEqual(second))
            {
                value = _values[i];
                return true;
            }

            i = (i + 1) & _mask;
        }

        value = default!;
        return false;
    }

    public bool TryGet(ReadOnlySpan<byte> key, out T value) => TryGet(key, default, out value);

    private static ulong Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second) =>
        FeatureHasher.Hash64(FeatureHasher.Hash64(FirstSeed, first), second);
}
