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
/// worth indexing), indexed by whole conjunctions rather than per attribute: there is one sorted
/// posting list per (slot, channel, country or any, device type or any), where the channel is the
/// open auction (campaigns without deals) or one deal. An entry sits on the list of every combination
/// it admits, so an imp's candidates are the union of at most four lists, (country, device),
/// (country, any), (any, device) and (any, any), which never share an entry. A lookup costs four
/// dictionary probes, four binary searches and its matches, however many campaigns there are; joining
/// per-attribute lists instead costs about the length of the shortest list touched.
///
/// Indexed: slot, country, device type, deal. Checked on the entries found: the campaign's blocked
/// countries and device types, and an allow list left out of the lists by the cap below. The rest of
/// a campaign's targeting (regions, OS, domains, bundles, publishers, categories, blocked deals), the
/// request's block lists, video mimes and durations and floors are checked by the caller.
///
/// Fairness: when more entries match than the caller can score, the lookup starts at an entry
/// number the caller chooses (a binary search into each list) and wraps around, merging the lists
/// in entry order, so a caller that rotates the start (for example a counter times a large odd
/// number, modulo <see cref="EntryCount"/>) gives every match its turn instead of always the first
/// in file order.
///
/// Memory: one int per (entry, list it is on). An entry naming k countries, m device types and
/// n deals sits on max(n, 1) × k × m lists (k or m counted as 1 when it names none). Above
/// <see cref="MaxCombinations"/> combinations per channel one attribute is indexed as "any" and
/// checked on the entries found instead (countries are kept when there are at most 64 of them,
/// else device types, else neither), so an entry costs at most 64 ints per channel. Plus one
/// dictionary slot and array per distinct list, and one small check object per campaign with block
/// lists or a capped attribute. Lookups allocate nothing.
/// </summary>
public sealed class CampaignIndex
{
    /// <summary>The most (country, device type) lists one entry may sit on per channel.</summary>
    private const int MaxCombinations = 64;

    private const int Any = 0;
    private const int Open = 0;
    private static readonly ulong DealSeed = 0xDEA1;
    private static readonly int[] AnyKey = [Any];
    private readonly IndexedCampaign[] _campaigns;
    private readonly Creative[] _entries; // the campaign is _campaigns[_entryCampaign[entry]]: 8 B an entry less than pairs
    private readonly int[] _entryCampaign;
    private readonly IndexPostCheck?[] _checks;
    private readonly Dictionary<PostingKey, int[]> _lists;
    private readonly Dictionary<ulong, DealChannel> _byDeal;

    public CampaignIndex(IReadOnlyList<IndexedCampaign> campaigns)
    {
        _campaigns = [.. campaigns];
        _checks = new IndexPostCheck?[_campaigns.Length];
        var entries = new List<Creative>();
        var entryCampaign = new List<int>();
        var lists = new Dictionary<PostingKey, List<int>>();
        var byDeal = new Dictionary<ulong, DealChannel>();

        for (var c = 0; c < _campaigns.Length; c++)
        {
            var (campaign, rules) = _campaigns[c];
            var allow = rules.Targeting.Allow;
            var block = rules.Targeting.Block;

            // Key 0 is "unknown" in a query, which no allow list admits: such values are dropped, and an
            // allow list of nothing else leaves the campaign unreachable, as it is.
            int[] countries = [.. allow.Countries.Select(CountryKey).Where(k => k != 0).Distinct()];
            int[] devices = [.. allow.DeviceTypes.Where(d => d != 0).Distinct()];
            var reachable = (allow.Countries.Count == 0 || countries.Length > 0) && (allow.DeviceTypes.Count == 0 || devices.Length > 0);
            var countryKeys = allow.Countries.Count == 0 ? AnyKey : countries;
            var deviceKeys = allow.DeviceTypes.Count == 0 ? AnyKey : devices;
            int[]? checkCountries = null;
            int[]? checkDevices = null;
            if (countryKeys.Length * deviceKeys.Length > MaxCombinations)
            {
                if (countryKeys.Length <= MaxCombinations)
                {
                    (checkDevices, deviceKeys) = (devices, AnyKey);
                }
                else if (deviceKeys.Length <= MaxCombinations)
                {
                    (checkCountries, countryKeys) = (countries, AnyKey);
                }
                else
                {
                    (checkCountries, countryKeys, checkDevices, deviceKeys) = (countries, AnyKey, devices, AnyKey);
                }
            }

            int[] blockedCountries = [.. block.Countries.Select(CountryKey).Where(k => k != 0).Distinct()];
            int[] blockedDevices = [.. block.DeviceTypes.Where(d => d != 0).Distinct()];
            if (checkCountries is not null || checkDevices is not null || blockedCountries.Length > 0 || blockedDevices.Length > 0)
            {
                _checks[c] = new IndexPostCheck(checkCountries, checkDevices, blockedCountries, blockedDevices);
            }

            var channels = rules.Targeting.Deals.Count == 0
                ? [Open]
                : rules.Targeting.Deals.Select(deal => DealChannelOf(byDeal, deal.Id)).Distinct().ToArray();
            foreach (var creative in campaign.Creatives)
            {
                var entry = entries.Count;
                entries.Add(creative);
                entryCampaign.Add(c);
                if (!reachable)
                {
                    continue;
                }

                var slot = SlotOf(creative);
                foreach (var channel in channels)
                {
                    foreach (var country in countryKeys)
                    {
                        foreach (var device in deviceKeys)
                        {
                            var key = new PostingKey(slot, channel, country, device);
                            if (!lists.TryGetValue(key, out var list))
                            {
                                lists[key] = list = [];
                            }

                            list.Add(entry);
                        }
                    }
                }
            }
        }

        _entries = [.. entries];
        _entryCampaign = [.. entryCampaign];
        _lists = lists.ToDictionary(p => p.Key, p => p.Value.ToArray());
        _byDeal = byDeal;
    }

    public int EntryCount => _entries.Length;

    public int CampaignCount => _campaigns.Length;

    /// <summary>Entry <paramref name="entry"/>: the campaign and creative.</summary>
    public CampaignCreative Entry(int entry) => new(_campaigns[_entryCampaign[entry]].Campaign, _entries[entry]);

    /// <summary>The campaign of entry <paramref name="entry"/> with its rules.</summary>
    public ref readonly IndexedCampaign CampaignOf(int entry) => ref _campaigns[_entryCampaign[entry]];

    /// <summary>
    /// Entries that may bid in the open auction of an imp like <paramref name="query"/>, written to
    /// <paramref name="into"/> from entry <paramref name="start"/> on, wrapping around; returns how
    /// many (at most its length). Campaigns with deals are not among them.
    /// </summary>
    public int FindOpen(in IndexQuery query, Span<int> into, int start = 0) => Find(query, Open, into, start);

    /// <summary>As <see cref="FindOpen"/>, for the campaigns that bid through the deal <paramref name="dealId"/>.</summary>
    public int FindDeal(in IndexQuery query, ReadOnlySpan<byte> dealId, Span<int> into, int start = 0) =>
        _byDeal.TryGetValue(FeatureHasher.Hash64(DealSeed, dealId), out var deal) && deal.DealIdUtf8.AsSpan().SequenceEqual(dealId)
            ? Find(query, deal.Channel, into, start)
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

    private int Find(in IndexQuery query, int channel, Span<int> into, int start)
    {
        if (into.IsEmpty)
        {
            return 0;
        }

        // Unknown values (0) have only the "any" lists; a known one has its own and "any".
        var (slot, country, device) = (query.Slot, query.Country, query.DeviceType);
        var both = country != Any && device != Any ? List(new(slot, channel, country, device)) : [];
        var countryOnly = country != Any ? List(new(slot, channel, country, Any)) : [];
        var deviceOnly = device != Any ? List(new(slot, channel, Any, device)) : [];
        var neither = List(new(slot, channel, Any, Any));
        start = (uint)start < (uint)_entries.Length ? start : 0;
        var found = Merge(both, countryOnly, deviceOnly, neither, start, _entries.Length, country, device, into);
        if (found < into.Length && start > 0)
        {
            found += Merge(both, countryOnly, deviceOnly, neither, 0, start, country, device, into[found..]);
        }

        return found;
    }

    private int[] List(PostingKey key) => _lists.TryGetValue(key, out var list) ? list : [];

    /// <summary>The entries in [from, to) of four disjoint sorted lists, in entry order, that pass their campaign's checks.</summary>
    private int Merge(ReadOnlySpan<int> a, ReadOnlySpan<int> b, ReadOnlySpan<int> c, ReadOnlySpan<int> d, int from, int to, int country, int device, Span<int> into)
    {
        var (ia, ib, ic, id) = (LowerBound(a, from), LowerBound(b, from), LowerBound(c, from), LowerBound(d, from));
        var found = 0;
        while (found < into.Length)
        {
            var va = ia < a.Length ? a[ia] : int.MaxValue;
            var vb = ib < b.Length ? b[ib] : int.MaxValue;
            var vc = ic < c.Length ? c[ic] : int.MaxValue;
            var vd = id < d.Length ? d[id] : int.MaxValue;
            var entry = Math.Min(Math.Min(va, vb), Math.Min(vc, vd));
            if (entry >= to)
            {
                break;
            }

            // The lists never share an entry, so exactly one moves on.
            if (entry == va)
            {
                ia++;
            }
            else if (entry == vb)
            {
                ib++;
            }
            else if (entry == vc)
            {
                ic++;
            }
            else
            {
                id++;
            }

            if (_checks[_entryCampaign[entry]] is not { } check || check.Passes(country, device))
            {
                into[found++] = entry;
            }
        }

        return found;
    }

    private static int LowerBound(ReadOnlySpan<int> list, int value)
    {
        var i = list.BinarySearch(value);
        return i < 0 ? ~i : i;
    }

    private static int DealChannelOf(Dictionary<ulong, DealChannel> byDeal, string dealId)
    {
        var id = Encoding.UTF8.GetBytes(dealId);
        var hash = FeatureHasher.Hash64(DealSeed, id);
        if (!byDeal.TryGetValue(hash, out var deal))
        {
            byDeal[hash] = deal = new DealChannel(id, byDeal.Count + 1);
        }
        else if (!deal.DealIdUtf8.AsSpan().SequenceEqual(id))
        {
            throw new InvalidDataException($"deal ids '{dealId}' and '{Encoding.UTF8.GetString(deal.DealIdUtf8)}' hash alike; rename one");
        }

        return deal.Channel;
    }

    private static long SlotOf(Creative creative) =>
        creative.Kind == CreativeKind.Banner ? BannerSlot(creative.W, creative.H) : KindSlot(creative.Kind);
}
