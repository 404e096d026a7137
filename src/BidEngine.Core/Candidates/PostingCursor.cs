namespace BidEngine.Core.Candidates;

/// <summary>
/// A walk over the union of two sorted posting lists (an attribute's value list and its "any"
/// list; the second is empty for single lists). <see cref="Seek"/> jumps by galloping, so skipping
/// a long run costs its logarithm, not its length.
/// </summary>
internal ref struct PostingCursor
{
    public const int End = int.MaxValue;
    private readonly ReadOnlySpan<int> _a;
    private readonly ReadOnlySpan<int> _b;
    private int _ia;
    private int _ib;

    public PostingCursor(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        _a = a;
        _b = b;
    }

    /// <summary>The smallest entry ≥ <paramref name="target"/> in either list, or <see cref="End"/>.</summary>
    public int Seek(int target)
    {
        _ia = Gallop(_a, _ia, target);
        _ib = Gallop(_b, _ib, target);
        var a = _ia < _a.Length ? _a[_ia] : End;
        var b = _ib < _b.Length ? _b[_ib] : End;
        return Math.Min(a, b);
    }

    /// <summary>First index ≥ <paramref name="from"/> whose value is ≥ <paramref name="target"/>.</summary>
    private static int Gallop(ReadOnlySpan<int> list, int from, int target)
    {
        if (from >= list.Length || list[from] >= target)
        {
            return from;
        }

        var step = 1;
        var high = from + 1;
        while (high < list.Length && list[high] < target)
        {
            from = high;
            step <<= 1;
            high = from + step;
        }

        // list[from] < target; the answer is in (from, min(high, length)].
        var lo = from + 1;
        var hi = Math.Min(high, list.Length);
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (list[mid] < target)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
