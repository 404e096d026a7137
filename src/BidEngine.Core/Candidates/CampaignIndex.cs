using System.Text;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Features;

namespace BidEngine.Core.Candidates;

/// <summary>
/// Which campaign creatives may bid on an imp, found by index lookups over an immutable set of
/// campaigns (built on load and reload, then swapped whole), never by a scan.
///
/// Entries are the (campaign, creative) pairs, numbered in file order. The campaigns' targeting is a
/// conjunction of "value in list" predicates (Whang et al., VLDB 2009, restricted to the attributes
/// worth indexing), so each attribute keeps sorted posting lists of entry numbers: one per value,
/// plus an "any" list of entries that do not restrict it. An imp's candidates are
/// <code>slot(kind, size) ∩ (country[c] ∪ anyCountry) ∩ (device[d] ∪ anyDevice) ∩ channel − blocked</code>
/// where the channel is one deal's list or the open-auction list (campaigns without deals), walked as
/// a leapfrog join: each list jumps (galloping) to the largest entry any other list is at, so a
/// lookup costs about (matches + lists) × log(list length), not the campaign count.
///
/// Indexed: slot, country (allow and block), device type (allow and block), deal. The rest of a
/// campaign's targeting (regions, OS, domains, bundles, publishers, categories, blocked deals), the
/// request's block lists, video mimes and durations and floors are checked on the few entries found.
///
/// Fairness: when more entries match than the caller can score, the lookup starts at an entry
/// number the caller chooses and wraps around, so a caller that rotates the start (for example a
/// counter times a large odd number, modulo <see cref="EntryCount"/>) gives every match its turn
/// instead of always the first in file order.
///
/// Memory: one int per (entry, posting list it is on) plus one list array per distinct value; every
/// entry is on one slot list, one channel list, and one list per country and device type it names
/// (or the "any" list). Lookups allocate nothing.
/// </summary>
public sealed class CampaignIndex
{
    private static readonly ulong DealSeed = 0xDEA1;
    private readonly IndexedCampaign[] _campaigns;
    private readonly CampaignCreative[] _entries;
    private readonly int[] _entryCampaign;
    private readonly Dictionary<long, int[]> _bySlot;
    private readonly Dictionary<int, int[]> _byCountry;
    private readonly int[] _anyCountry;
    private readonly Dictionary<int, int[]> _blockedByCountry;
    private readonly Dictionary<int, int[]> _byDevice;
    private readonly int[] _anyDevice;
    private readonly Dictionary<int, int[]> _blockedByDevice;
    private readonly Dictionary<ulong, DealPostings> _byDeal;
    private readonly int[] _open;

    public CampaignIndex(IReadOnlyList<IndexedCampaign> campaigns)
    {
        _campaigns = [.. campaigns];
        var entries = new List<CampaignCreative>();
        var entryCampaign = new List<int>();
        var bySlot = new Dictionary<long, List<int>>();
        var byCountry = new Dictionary<int, List<int>>();
        var anyCountry = new List<int>();
        var blockedByCountry = new Dictionary<int, List<int>>();
        var byDevice = new Dictionary<int, List<int>>();
        var anyDevice = new List<int>();
        var blockedByDevice = new Dictionary<int, List<int>>();
        var byDeal = new Dictionary<ulong, (byte[] Id, List<int> Entries)>();
        var open = new List<int>();

        for (var c = 0; c < _campaigns.Length; c++)
        {
            var (campaign, rules) = _campaigns[c];
            var allow = rules.Targeting.Allow;
            var block = rules.Targeting.Block;
            foreach (var creative in campaign.Creatives)
            {
                var entry = entries.Count;
                entries.Add(new CampaignCreative(campaign, creative));
                entryCampaign.Add(c);
                Add(bySlot, SlotOf(creative), entry);
                AddAll(byCountry, anyCountry, allow.Countries.Select(CountryKey), entry);
                AddAll(byDevice, anyDevice, allow.DeviceTypes, entry);
                foreach (var country in block.Countries.Select(CountryKey).Distinct())
                {
                    Add(blockedByCountry, country, entry);
                }

                foreach (var device in block.DeviceTypes.Distinct())
                {
                    Add(blockedByDevice, device, entry);
                }

                if (rules.Targeting.Deals.Count == 0)
                {
                    open.Add(entry);
                }

                foreach (var deal in rules.Targeting.Deals)
                {
                    var id = Encoding.UTF8.GetBytes(deal.Id);
                    var hash = FeatureHasher.Hash64(DealSeed, id);
                    if (!byDeal.TryGetValue(hash, out var postings))
                    {
                        byDeal[hash] = postings = (id, []);
                    }
                    else if (!postings.Id.AsSpan().SequenceEqual(id))
                    {
                        throw new InvalidDataException($"deal ids '{deal.Id}' and '{Encoding.UTF8.GetString(postings.Id)}' hash alike; rename one");
                    }

                    if (postings.Entries.Count == 0 || postings.Entries[^1] != entry)
                    {
                        postings.Entries.Add(entry);
                    }
                }
            }
        }

        _entries = [.. entries];
        _entryCampaign = [.. entryCampaign];
        _bySlot = Freeze(bySlot);
        _byCountry = Freeze(byCountry);
        _anyCountry = [.. anyCountry];
        _blockedByCountry = Freeze(blockedByCountry);
        _byDevice = Freeze(byDevice);
        _anyDevice = [.. anyDevice];
        _blockedByDevice = Freeze(blockedByDevice);
        _byDeal = byDeal.ToDictionary(p => p.Key, p => new DealPostings(p.Value.Id, [.. p.Value.Entries]));
        _open = [.. open];
    }

    public int EntryCount => _entries.Length;

    public int CampaignCount => _campaigns.Length;

    /// <summary>Entry <paramref name="entry"/>: the campaign and creative.</summary>
    public CampaignCreative Entry(int entry) => _entries[entry];

    /// <summary>The campaign of entry <paramref name="entry"/> with its rules.</summary>
    public ref readonly IndexedCampaign CampaignOf(int entry) => ref _campaigns[_entryCampaign[entry]];

    /// <summary>
    /// Entries that may bid in the open auction of an imp like <paramref name="query"/>, written to
    /// <paramref name="into"/> from entry <paramref name="start"/> on, wrapping around; returns how
    /// many (at most its length). Campaigns with deals are not among them.
    /// </summary>
    public int FindOpen(in IndexQuery query, Span<int> into, int start = 0) => Find(query, _open, into, start);

    /// <summary>As <see cref="FindOpen"/>, for the campaigns that bid through the deal <paramref name="dealId"/>.</summary>
    public int FindDeal(in IndexQuery query, ReadOnlySpan<byte> dealId, Span<int> into, int start = 0) =>
        _byDeal.TryGetValue(FeatureHasher.Hash64(DealSeed, dealId), out var deal) && deal.DealIdUtf8.AsSpan().SequenceEqual(dealId)
            ? Find(query, deal.Entries, into, start)
            : 0;

    /// <summary>The slot key of a banner of <paramref name="w"/> × <paramref name="h"/>.</summary>
    public static long BannerSlot(int w, int h) => ((long)(uint)w << 32) | (uint)h | (1L << 62);

    /// <summary>The slot key of a non-banner kind (its size is not matched).</summary>
    public static long KindSlot(CreativeKind kind) => (long)kind;

    /// <summary>An ISO 3166-1 alpha-3 code packed in an int, any case; 0 when it is not three ASCII letters.</summary>
    public static int CountryKey(ReadOnlySpan<byte> alpha3)
    {
        if (alpha3.Length != 3)
        {
            return 0;
        }

        var key = 0;
        foreach (var b in alpha3)
        {
            var upper = (byte)(b & 0xDF);
            if (upper is < (byte)'A' or > (byte)'Z')
            {
                return 0;
            }

            key = (key << 8) | upper;
        }

        return key;
    }

    public static int CountryKey(string alpha3) => CountryKey(Encoding.ASCII.GetBytes(alpha3));

    private int Find(in IndexQuery query, int[] channel, Span<int> into, int start)
    {
        if (into.IsEmpty || !_bySlot.TryGetValue(query.Slot, out var slot))
        {
            return 0;
        }

        var countries = query.Country != 0 && _byCountry.TryGetValue(query.Country, out var c) ? c : [];
        var devices = query.DeviceType != 0 && _byDevice.TryGetValue(query.DeviceType, out var d) ? d : [];
        var blockedCountry = query.Country != 0 && _blockedByCountry.TryGetValue(query.Country, out var bc) ? bc : [];
        var blockedDevice = query.DeviceType != 0 && _blockedByDevice.TryGetValue(query.DeviceType, out var bd) ? bd : [];
        start = (uint)start < (uint)_entries.Length ? start : 0;
        var found = Join(slot, countries, devices, channel, blockedCountry, blockedDevice, start, _entries.Length, into);
        if (found < into.Length && start > 0)
        {
            found += Join(slot, countries, devices, channel, blockedCountry, blockedDevice, 0, start, into[found..]);
        }

        return found;
    }

    /// <summary>The leapfrog join over [from, to): a pass of seeks that moves nobody is a match.</summary>
    private int Join(int[] slot, int[] countries, int[] devices, int[] channel, int[] blockedCountry, int[] blockedDevice, int from, int to, Span<int> into)
    {
        var bySlot = new PostingCursor(slot, []);
        var byCountry = new PostingCursor(countries, _anyCountry);
        var byDevice = new PostingCursor(devices, _anyDevice);
        var byChannel = new PostingCursor(channel, []);
        var found = 0;
        var x = from;
        while (found < into.Length)
        {
            var y = byChannel.Seek(bySlot.Seek(byDevice.Seek(byCountry.Seek(x))));
            if (y >= to)
            {
                return found;
            }

            if (y != x)
            {
                x = y;
                continue;
            }

            if (Array.BinarySearch(blockedCountry, x) < 0 && Array.BinarySearch(blockedDevice, x) < 0)
            {
                into[found++] = x;
            }

            x++;
        }

        return found;
    }

    private static long SlotOf(Creative creative) =>
        creative.Kind == CreativeKind.Banner ? BannerSlot(creative.W, creative.H) : KindSlot(creative.Kind);

    private static void Add<TKey>(Dictionary<TKey, List<int>> lists, TKey key, int entry)
        where TKey : notnull
    {
        if (!lists.TryGetValue(key, out var list))
        {
            lists[key] = list = [];
        }

        list.Add(entry);
    }

    private static void AddAll(Dictionary<int, List<int>> lists, List<int> any, IEnumerable<int> keys, int entry)
    {
        var added = false;
        foreach (var key in keys.Distinct())
        {
            Add(lists, key, entry);
            added = true;
        }

        if (!added)
        {
            any.Add(entry);
        }
    }

    private static Dictionary<TKey, int[]> Freeze<TKey>(Dictionary<TKey, List<int>> lists)
        where TKey : notnull => lists.ToDictionary(p => p.Key, p => p.Value.ToArray());
}
