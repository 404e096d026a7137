using BidEngine.Core.Candidates;

namespace BidEngine.Benchmarks.Candidates;

/// <summary>
/// A sketch of the fix this benchmark suggests for CampaignIndex (not used by the bidder): one posting
/// list per (slot, country or any, device type or any), holding the open-auction entries that ask for
/// exactly that combination. An imp reads four disjoint lists, (s, c, d), (s, c, any), (s, any, d) and
/// (s, any, any), so a lookup costs four dictionary probes plus its matches, however long the
/// per-attribute lists are. An entry naming k countries and m device types sits on k × m lists.
/// </summary>
internal sealed class ConjunctionKeySketch
{
    private readonly Dictionary<(long Slot, int Country, int Device), int[]> _lists;

    public ConjunctionKeySketch(EntryRules[] entries)
    {
        var lists = new Dictionary<(long, int, int), List<int>>();
        for (var e = 0; e < entries.Length; e++)
        {
            var entry = entries[e];
            if (!entry.Open)
            {
                continue;
            }

            foreach (var country in entry.Countries.Length == 0 ? [0] : entry.Countries.Distinct())
            {
                foreach (var device in entry.Devices.Length == 0 ? [0] : entry.Devices.Distinct())
                {
                    var key = (entry.Slot, country, device);
                    if (!lists.TryGetValue(key, out var list))
                    {
                        lists[key] = list = [];
                    }

                    list.Add(e);
                }
            }
        }

        _lists = lists.ToDictionary(p => p.Key, p => p.Value.ToArray());
    }

    /// <summary>The list for one key, empty when none.</summary>
    public ReadOnlySpan<int> List(long slot, int country, int device) =>
        _lists.TryGetValue((slot, country, device), out var list) ? list : [];
}
