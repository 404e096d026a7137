using System.Runtime.InteropServices;
using System.Text;

namespace BidEngine.Core.Campaigns;

/// <summary>
/// Values that many campaigns of one file hold alike, kept once: strings, string and number lists,
/// their UTF-8 forms, creatives' markup and the small records of the rules (budgets, flights, caps,
/// targeting lists). One interner serves one load on one thread and is dropped with the load; what
/// it handed out lives on in the campaigns. An empty list is always the same empty array.
///
/// 100,000 generated campaigns held 3.5 KB each before (a string, a list and a UTF-8 copy of every
/// seat, domain, category, country, mime and markup per campaign); about 1 KB each with their rules
/// and index after (CampaignMemoryTests holds it).
/// </summary>
internal sealed class CampaignInterner
{
    private readonly bool _shares;
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _utf8 = new(StringComparer.Ordinal);
    private readonly Dictionary<string[], string[]> _lists = new(SequenceComparer<string>.Instance);
    private readonly Dictionary<int[], int[]> _ints = new(SequenceComparer<int>.Instance);
    private readonly Dictionary<string[], byte[][]> _utf8Lists = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<object, object> _values = [];
    private readonly Dictionary<(string[], int[], string[]), Targeting> _targetings = [];
    private readonly Dictionary<(CampaignTargeting, string), Candidates.CompiledTargeting> _compiled = [];
    private readonly Dictionary<TargetingLists, Candidates.CompiledTargeting.Lists> _compiledLists = new(ReferenceEqualityComparer.Instance);

    public CampaignInterner()
        : this(shares: true)
    {
    }

    private CampaignInterner(bool shares) => _shares = shares;

    /// <summary>Makes every value anew and keeps nothing: for a campaign made in code, alone.</summary>
    public static CampaignInterner Unshared { get; } = new(shares: false);

    public string String(string value)
    {
        if (!_shares)
        {
            return value;
        }

        ref var known = ref CollectionsMarshal.GetValueRefOrAddDefault(_strings, value, out _);
        return known ??= value;
    }

    /// <summary>The list as a shared array of shared strings, each passed through <paramref name="map"/> first when given.</summary>
    public string[] Strings(IReadOnlyList<string>? values, Func<string, string>? map = null)
    {
        if (values is null || values.Count == 0)
        {
            return [];
        }

        var array = new string[values.Count];
        for (var i = 0; i < array.Length; i++)
        {
            array[i] = String(map is null ? values[i] : map(values[i]));
        }

        if (!_shares)
        {
            return array;
        }

        ref var known = ref CollectionsMarshal.GetValueRefOrAddDefault(_lists, array, out _);
        return known ??= array;
    }

    public int[] Ints(IReadOnlyList<int>? values)
    {
        if (values is null || values.Count == 0)
        {
            return [];
        }

        var array = values.ToArray();
        if (!_shares)
        {
            return array;
        }

        ref var known = ref CollectionsMarshal.GetValueRefOrAddDefault(_ints, array, out _);
        return known ??= array;
    }

    /// <summary>The UTF-8 bytes of <paramref name="value"/>, one array for every equal string (markup included).</summary>
    public byte[] Utf8(string value)
    {
        if (!_shares)
        {
            return Encoding.UTF8.GetBytes(value);
        }

        ref var known = ref CollectionsMarshal.GetValueRefOrAddDefault(_utf8, value, out _);
        return known ??= Encoding.UTF8.GetBytes(value);
    }

    /// <summary>The UTF-8 forms of a list, one array of arrays for every list that <see cref="Strings"/> handed out.</summary>
    public byte[][] Utf8(IReadOnlyList<string> list)
    {
        if (list.Count == 0)
        {
            return [];
        }

        var values = list as string[] ?? Strings(list);

        if (!_shares)
        {
            return [.. values.Select(Encoding.UTF8.GetBytes)];
        }

        ref var known = ref CollectionsMarshal.GetValueRefOrAddDefault(_utf8Lists, values, out _);
        return known ??= [.. values.Select(v => Utf8(v))];
    }

    /// <summary>
    /// One instance for every equal value of a type with value equality (records whose lists came from
    /// this interner compare equal when their contents do, as equal lists are the same array).
    /// </summary>
    public T Value<T>(T value)
        where T : class
    {
        if (!_shares)
        {
            return value;
        }

        ref var known = ref CollectionsMarshal.GetValueRefOrAddDefault(_values, value, out _);
        return (T)(known ??= value);
    }

    /// <summary>One <see cref="Campaigns.Targeting"/> for every equal set of lists.</summary>
    public Targeting Targeting(IReadOnlyList<string>? countries, IReadOnlyList<int>? deviceTypes, IReadOnlyList<string>? os)
    {
        var key = (Strings(countries), Ints(deviceTypes), Strings(os));
        if (key is ({ Length: 0 }, { Length: 0 }, { Length: 0 }))
        {
            return Campaigns.Targeting.Any;
        }

        if (!_shares)
        {
            return new Targeting(key.Item1, key.Item2, key.Item3);
        }

        ref var known = ref CollectionsMarshal.GetValueRefOrAddDefault(_targetings, key, out _);
        return known ??= new Targeting(key.Item1, key.Item2, key.Item3);
    }

    /// <summary>One compiled form for every equal targeting of campaigns on the same seat.</summary>
    public Candidates.CompiledTargeting Compiled(CampaignTargeting targeting, string seat, Func<CampaignTargeting, string, Candidates.CompiledTargeting> compile)
    {
        if (!_shares)
        {
            return compile(targeting, seat);
        }

        ref var known = ref CollectionsMarshal.GetValueRefOrAddDefault(_compiled, (targeting, seat), out _);
        return known ??= compile(targeting, seat);
    }

    /// <summary>One compiled side for every <see cref="TargetingLists"/> instance (equal ones are one instance when the rules reader shared them).</summary>
    public Candidates.CompiledTargeting.Lists Compiled(TargetingLists lists, Func<TargetingLists, Candidates.CompiledTargeting.Lists> compile)
    {
        if (!_shares)
        {
            return compile(lists);
        }

        ref var known = ref CollectionsMarshal.GetValueRefOrAddDefault(_compiledLists, lists, out _);
        return known ??= compile(lists);
    }

    /// <summary>Arrays compared by their elements.</summary>
    private sealed class SequenceComparer<T> : IEqualityComparer<T[]>
        where T : IEquatable<T>
    {
        public static SequenceComparer<T> Instance { get; } = new();

        public bool Equals(T[]? x, T[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

        public int GetHashCode(T[] values)
        {
            var hash = default(HashCode);
            foreach (var value in values)
            {
                hash.Add(value);
            }

            return hash.ToHashCode();
        }
    }
}
