using System.Text;

namespace BidEngine.Core.Traffic;

/// <summary>
/// A set of IPv4 and IPv6 address ranges (data-centre, cloud, hosting and proxy networks), built once
/// from CIDR blocks: sorted, overlaps and neighbours merged, then asked with a binary search over
/// plain arrays (<see cref="uint"/> for IPv4, <see cref="UInt128"/> for IPv6). A lookup in 100,000
/// IPv4 ranges is 17 comparisons, 18 ns; in 20,000 IPv6 ranges 35 ns; 0 B (TrafficCheckBenchmarks,
/// TrafficAllocationTests). Immutable: a new file makes a new set.
/// </summary>
public sealed class AddressRanges
{
    private readonly uint[] _v4Starts;
    private readonly uint[] _v4Ends;
    private readonly UInt128[] _v6Starts;
    private readonly UInt128[] _v6Ends;

    private AddressRanges(List<(uint Start, uint End)> v4, List<(UInt128 Start, UInt128 End)> v6, int blocks)
    {
        v4.Sort((a, b) => a.Start.CompareTo(b.Start));
        v6.Sort((a, b) => a.Start.CompareTo(b.Start));
        (_v4Starts, _v4Ends) = Merge(v4, static (end, start) => end == uint.MaxValue || end + 1 >= start);
        (_v6Starts, _v6Ends) = Merge(v6, static (end, start) => end == UInt128.MaxValue || end + 1 >= start);
        Blocks = blocks;
    }

    public static AddressRanges Empty { get; } = new([], [], 0);

    /// <summary>CIDR blocks read (before merging).</summary>
    public int Blocks { get; }

    /// <summary>IPv4 ranges after merging.</summary>
    public int V4Ranges => _v4Starts.Length;

    /// <summary>IPv6 ranges after merging.</summary>
    public int V6Ranges => _v6Starts.Length;

    public bool ContainsV4(uint address)
    {
        var i = LastAtOrBelow(_v4Starts, address);
        return i >= 0 && address <= _v4Ends[i];
    }

    public bool ContainsV6(UInt128 address)
    {
        var i = LastAtOrBelow(_v6Starts, address);
        return i >= 0 && address <= _v6Ends[i];
    }

    /// <summary>
    /// The operator's file: one CIDR block per line (<c>203.0.113.0/24</c>, <c>2001:db8::/32</c>), or a
    /// single address (a /32 or /128). <c>#</c> starts a comment; anything after the block, separated
    /// by a comma, space or tab (a provider's name, a region), is ignored; host bits under the prefix
    /// are ignored too. A line that is none of these refuses the file, naming it and the line.
    /// </summary>
    public static AddressRanges Load(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Parse(reader, path);
    }

    public static AddressRanges Parse(TextReader reader, string source)
    {
        var v4 = new List<(uint, uint)>();
        var v6 = new List<(UInt128, UInt128)>();
        var blocks = 0;
        var number = 0;
        Span<byte> utf8 = stackalloc byte[64];
        while (reader.ReadLine() is { } line)
        {
            number++;
            var text = line.AsSpan();
            var comment = text.IndexOf('#');
            if (comment >= 0)
            {
                text = text[..comment];
            }

            text = text.Trim();
            var field = text.IndexOfAny(", \t");
            if (field >= 0)
            {
                text = text[..field];
            }

            if (text.IsEmpty)
            {
                continue;
            }

            if (!TryParseBlock(text, utf8, out var family, out var start, out var end))
            {
                throw new InvalidDataException($"{source}: line {number}: '{line.Trim()}' is not a CIDR block or an address (such as 203.0.113.0/24 or 2001:db8::/32)");
            }

            if (family == IpFamily.V4)
            {
                v4.Add(((uint)start, (uint)end));
            }
            else
            {
                v6.Add((start, end));
            }

            blocks++;
        }

        return new AddressRanges(v4, v6, blocks);
    }

    /// <summary>One block from a set built in code (tests, benchmarks).</summary>
    public static AddressRanges Of(IEnumerable<string> blocks) => Parse(new StringReader(string.Join('\n', blocks)), "ranges");

    private static bool TryParseBlock(ReadOnlySpan<char> text, Span<byte> utf8, out IpFamily family, out UInt128 start, out UInt128 end)
    {
        family = IpFamily.None;
        start = end = default;
        var slash = text.IndexOf('/');
        var address = slash < 0 ? text : text[..slash];
        if (address.Length > utf8.Length || Encoding.UTF8.GetBytes(address, utf8) is var length && length != address.Length)
        {
            return false;
        }

        var bytes = utf8[..address.Length];
        int width;
        if (IpText.TryParseV4(bytes, out var v4))
        {
            family = IpFamily.V4;
            start = v4;
            width = 32;
        }
        else if (IpText.TryParseV6(bytes, out var v6))
        {
            family = IpFamily.V6;
            start = v6;
            width = 128;
        }
        else
        {
            return false;
        }

        var prefix = width;
        if (slash >= 0 && !(int.TryParse(text[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix) && prefix <= width))
        {
            return false;
        }

        var hostBits = width - prefix;
        var hostMask = hostBits == 0 ? UInt128.Zero : hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
        start &= ~hostMask;
        end = start | hostMask;
        if (family == IpFamily.V4)
        {
            end &= uint.MaxValue;
        }

        return true;
    }

    private static (T[] Starts, T[] Ends) Merge<T>(List<(T Start, T End)> sorted, Func<T, T, bool> touches)
        where T : struct, IComparable<T>
    {
        var starts = new List<T>(sorted.Count);
        var ends = new List<T>(sorted.Count);
        foreach (var (start, end) in sorted)
        {
            if (starts.Count > 0 && touches(ends[^1], start))
            {
                if (end.CompareTo(ends[^1]) > 0)
                {
                    ends[^1] = end;
                }

                continue;
            }

            starts.Add(start);
            ends.Add(end);
        }

        return ([.. starts], [.. ends]);
    }

    /// <summary>The index of the last start at or below <paramref name="value"/>; -1 when every start is above it.</summary>
    private static int LastAtOrBelow<T>(T[] starts, T value)
        where T : struct, IComparable<T>
    {
        int low = 0, high = starts.Length - 1;
        while (low <= high)
        {
            var mid = (int)((uint)(low + high) >> 1);
            if (starts[mid].CompareTo(value) <= 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return high;
    }
}
