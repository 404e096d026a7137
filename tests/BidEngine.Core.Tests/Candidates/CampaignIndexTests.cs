using System.Text;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Candidates;

namespace BidEngine.Core.Tests.CandidateIndex;

public sealed class CampaignIndexTests
{
    private static readonly (int W, int H)[] Sizes = [(300, 250), (728, 90), (160, 600), (320, 50), (300, 600), (970, 250), (468, 60), (320, 100), (336, 280), (120, 600)];
    private static readonly string[] Countries = [.. Enumerable.Range(0, 30).Select(i => $"{(char)('A' + (i % 26))}{(char)('A' + (i / 26))}X")];
    private static readonly string[] Deals = [.. Enumerable.Range(0, 500).Select(i => $"deal-{i}")];
    private static readonly Lazy<(CampaignIndex Index, IndexedCampaign[] Campaigns)> Large = new(() => Build(100_000, seed: 42));

    /// <summary>Synthetic campaigns shaped like a real book: most target a few countries and devices, a few run on deals.</summary>
    private static (CampaignIndex, IndexedCampaign[]) Build(int count, int seed)
    {
        var random = new Random(seed);
        var campaigns = new IndexedCampaign[count];
        for (var i = 0; i < count; i++)
        {
            var creatives = Enumerable.Range(0, random.Next(1, 4)).Select(k =>
            {
                var roll = random.Next(20);
                if (roll == 0)
                {
                    return new Creative($"v{i}-{k}", CreativeKind.Video, 640, 480, null, "https://n.example", ["video/mp4"], 15);
                }

                if (roll == 1)
                {
                    return new Creative($"n{i}-{k}", CreativeKind.Native, 0, 0, "{}", null, [], 0);
                }

                var (w, h) = Sizes[Math.Min(Sizes.Length - 1, (int)(random.NextDouble() * random.NextDouble() * Sizes.Length))];
                return new Creative($"b{i}-{k}", CreativeKind.Banner, w, h, "<img>", null, [], 0);
            }).ToArray();
            string[] Pick(string[] pool, int max) => [.. Enumerable.Range(0, random.Next(1, max + 1)).Select(_ => pool[random.Next(pool.Length)]).Distinct()];
            var allow = TargetingLists.Empty with
            {
                Countries = random.Next(10) < 4 ? [] : Pick(Countries, 5),
                DeviceTypes = random.Next(2) == 0 ? [] : [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(1, 8)).Distinct()],
            };
            var block = TargetingLists.Empty with
            {
                Countries = random.Next(10) == 0 ? Pick(Countries, 2) : [],
                DeviceTypes = random.Next(20) == 0 ? [random.Next(1, 8)] : [],
            };
            CampaignDeal[] deals = random.Next(100) < 3 ? [.. Pick(Deals, 2).Select(d => new CampaignDeal(d, null, []))] : [];
            var rules = CampaignRules.Default with { Targeting = new CampaignTargeting(allow, block, [], deals) };
            var campaign = new Campaign($"cmp-{i}", [$"a{i}.example"], ["IAB1"], 1, 10, 0.01, Targeting.Any, creatives);
            campaigns[i] = new IndexedCampaign(campaign, rules);
        }

        return (new CampaignIndex(campaigns), campaigns);
    }

    /// <summary>What the scan needs of one entry, worked out once from the campaign and creative.</summary>
    private sealed record Facts(long Slot, HashSet<int> Countries, HashSet<int> Devices, HashSet<int> BlockedCountries, HashSet<int> BlockedDevices, HashSet<string> Deals);

    private static readonly Lazy<Facts[]> LargeFacts = new(() =>
    {
        var index = Large.Value.Index;
        return [.. Enumerable.Range(0, index.EntryCount).Select(e =>
        {
            var creative = index.Entry(e).Creative;
            var t = index.CampaignOf(e).Rules.Targeting;
            return new Facts(
                creative.Kind == CreativeKind.Banner ? CampaignIndex.BannerSlot(creative.W, creative.H) : CampaignIndex.KindSlot(creative.Kind),
                [.. t.Allow.Countries.Select(CampaignIndex.CountryKey)],
                [.. t.Allow.DeviceTypes],
                [.. t.Block.Countries.Select(CampaignIndex.CountryKey)],
                [.. t.Block.DeviceTypes],
                [.. t.Deals.Select(d => d.Id)]);
        })];
    });

    /// <summary>The slow, obvious answer: every entry, every predicate.</summary>
    private static List<int> Scan(IndexQuery query, string? deal)
    {
        var facts = LargeFacts.Value;
        var matches = new List<int>();
        for (var e = 0; e < facts.Length; e++)
        {
            var f = facts[e];
            if (f.Slot == query.Slot
                && (f.Countries.Count == 0 || (query.Country != 0 && f.Countries.Contains(query.Country)))
                && (f.Devices.Count == 0 || (query.DeviceType != 0 && f.Devices.Contains(query.DeviceType)))
                && !(query.Country != 0 && f.BlockedCountries.Contains(query.Country))
                && !(query.DeviceType != 0 && f.BlockedDevices.Contains(query.DeviceType))
                && (deal is null ? f.Deals.Count == 0 : f.Deals.Contains(deal)))
            {
                matches.Add(e);
            }
        }

        return matches;
    }

    private static (IndexQuery Query, string? Deal) RandomRequest(Random random)
    {
        var (w, h) = random.Next(20) == 0 ? (1, 1) : Sizes[random.Next(Sizes.Length)];
        var country = random.Next(10) == 0 ? 0 : random.Next(20) == 0 ? CampaignIndex.CountryKey("ZZZ") : CampaignIndex.CountryKey(Countries[random.Next(Countries.Length)]);
        var device = random.Next(8);
        var query = random.Next(10) switch
        {
            0 => IndexQuery.OfKind(CreativeKind.Video, country, device),
            1 => IndexQuery.OfKind(CreativeKind.Native, country, device),
            _ => IndexQuery.Banner(w, h, country, device),
        };
        var deal = random.Next(3) == 0 ? (random.Next(10) == 0 ? "deal-unknown" : Deals[random.Next(Deals.Length)]) : null;
        return (query, deal);
    }

    private static int Find(CampaignIndex index, IndexQuery query, string? deal, Span<int> into, int start) =>
        deal is null ? index.FindOpen(query, into, start) : index.FindDeal(query, Encoding.UTF8.GetBytes(deal), into, start);

    [Fact]
    public void LookupsAmongAHundredThousandCampaignsReturnExactlyWhatAScanFinds()
    {
        var (index, _) = Large.Value;
        Assert.Equal(100_000, index.CampaignCount);
        var random = new Random(7);
        var buffer = new int[index.EntryCount];
        var nonEmpty = 0;
        for (var r = 0; r < 150; r++)
        {
            var (query, deal) = RandomRequest(random);
            var expected = Scan(query, deal);
            var found = Find(index, query, deal, buffer, 0);
            Assert.Equal(expected, buffer[..found]);
            nonEmpty += found > 0 ? 1 : 0;
        }

        Assert.True(nonEmpty > 75, $"only {nonEmpty} of 150 requests matched anything: the test would prove little");
    }

    [Fact]
    public void ALookupFromAStartWrapsAroundAndStopsWhenTheBufferIsFull()
    {
        var (index, _) = Large.Value;
        var random = new Random(8);
        var buffer = new int[index.EntryCount];
        for (var r = 0; r < 40; r++)
        {
            var (query, deal) = RandomRequest(random);
            var expected = Scan(query, deal);
            var start = random.Next(index.EntryCount);
            var rotated = expected.Where(e => e >= start).Concat(expected.Where(e => e < start)).ToList();
            var found = Find(index, query, deal, buffer, start);
            Assert.Equal(rotated, buffer[..found]);
            var few = Find(index, query, deal, buffer.AsSpan(0, 5), start);
            Assert.Equal(rotated.Take(5), buffer[..few]);
        }
    }

    [Fact]
    public void DealsBidOnlyThroughTheirDealAndOthersOnlyInOpenAuctions()
    {
        var creative = new Creative("c", CreativeKind.Banner, 300, 250, "<img>", null, [], 0);
        IndexedCampaign Make(string id, params string[] deals) => new(
            new Campaign(id, [], [], 1, 10, 0.01, Targeting.Any, [creative]),
            CampaignRules.Default with { Targeting = CampaignTargeting.Any with { Deals = [.. deals.Select(d => new CampaignDeal(d, 1m, []))] } });
        var index = new CampaignIndex([Make("open"), Make("deal-a", "A"), Make("deal-ab", "A", "B")]);
        var query = IndexQuery.Banner(300, 250, 0, 0);
        var into = new int[8];
        Assert.Equal([0], into[..index.FindOpen(query, into)]);
        Assert.Equal([1, 2], into[..index.FindDeal(query, "A"u8, into)]);
        Assert.Equal([2], into[..index.FindDeal(query, "B"u8, into)]);
        Assert.Equal(0, index.FindDeal(query, "C"u8, into));
    }

    [Fact]
    public void CountryKeysIgnoreCaseAndRejectWhatIsNotACode()
    {
        Assert.Equal(CampaignIndex.CountryKey("USA"), CampaignIndex.CountryKey("usa"u8));
        Assert.Equal(0, CampaignIndex.CountryKey("US"u8));
        Assert.Equal(0, CampaignIndex.CountryKey("U1A"u8));
        Assert.NotEqual(CampaignIndex.CountryKey("USA"), CampaignIndex.CountryKey("USB"));
    }

    [Fact]
    public void LookupsAllocateNothing()
    {
        var (index, _) = Large.Value;
        var random = new Random(9);
        var requests = Enumerable.Range(0, 200).Select(_ => RandomRequest(random)).Select(r => (r.Query, Deal: r.Deal is null ? null : Encoding.UTF8.GetBytes(r.Deal))).ToArray();
        var buffer = new int[64];
        var total = 0L;

        void Run()
        {
            foreach (var (query, deal) in requests)
            {
                total += deal is null ? index.FindOpen(query, buffer, requests.Length) : index.FindDeal(query, deal, buffer, requests.Length);
            }
        }

        Run();
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(total > 0);
    }

    [Fact]
    public void EntriesNamingTooManyCountryAndDeviceCombinationsAreCheckedInsteadAndStillMatchExactly()
    {
        // Allow lists whose product passes the cap of 64 lists per entry, in every shape: many countries,
        // many device types, many of both; with and without blocks, and a few plain campaigns around them.
        var creative = new Creative("c", CreativeKind.Banner, 300, 250, "<img>", null, [], 0);
        var manyCountries = Enumerable.Range(0, 80).Select(i => $"{(char)('A' + (i % 26))}{(char)('A' + (i / 26))}Q").ToArray();
        int[] manyDevices = [.. Enumerable.Range(1, 70)];
        (string[] Countries, int[] Devices, string[] BlockedCountries, int[] BlockedDevices)[] shapes =
        [
            (manyCountries[..10], [1, 2, 3, 4, 5, 6, 7], [], []),
            (manyCountries[..40], [2, 4], [], [4]),
            (manyCountries, [3], [manyCountries[5]], []),
            (manyCountries[..2], manyDevices, [], [5]),
            (manyCountries, manyDevices, [manyCountries[7]], [6]),
            (manyCountries, [], [], []),
            ([], manyDevices, [], []),
            ([manyCountries[1]], [1], [], []),
            ([], [], [manyCountries[3]], [2]),
        ];
        var campaigns = shapes.Select((s, i) => new IndexedCampaign(
            new Campaign($"cmp-{i}", [], [], 1, 10, 0.01, Targeting.Any, [creative]),
            CampaignRules.Default with
            {
                Targeting = new CampaignTargeting(
                    TargetingLists.Empty with { Countries = s.Countries, DeviceTypes = s.Devices },
                    TargetingLists.Empty with { Countries = s.BlockedCountries, DeviceTypes = s.BlockedDevices },
                    [],
                    []),
            })).ToArray();
        var index = new CampaignIndex(campaigns);
        var into = new int[16];
        var checkedQueries = 0;
        foreach (var country in manyCountries.Select(CampaignIndex.CountryKey).Append(0).Append(CampaignIndex.CountryKey("ZZZ")))
        {
            foreach (var device in Enumerable.Range(0, 72))
            {
                var expected = Enumerable.Range(0, shapes.Length).Where(e =>
                {
                    var s = shapes[e];
                    return (s.Countries.Length == 0 || (country != 0 && s.Countries.Select(CampaignIndex.CountryKey).Contains(country)))
                        && (s.Devices.Length == 0 || (device != 0 && s.Devices.Contains(device)))
                        && !(country != 0 && s.BlockedCountries.Select(CampaignIndex.CountryKey).Contains(country))
                        && !(device != 0 && s.BlockedDevices.Contains(device));
                }).ToArray();
                var start = (country + device) % shapes.Length;
                var found = index.FindOpen(IndexQuery.Banner(300, 250, country, device), into, start);
                Assert.Equal([.. expected.Where(e => e >= start), .. expected.Where(e => e < start)], into[..found]);
                checkedQueries += expected.Length > 1 ? 1 : 0;
            }
        }

        Assert.True(checkedQueries > 1000, $"only {checkedQueries} queries matched more than one campaign");
    }
}
