using BidEngine.Core.Campaigns;
using BidEngine.Core.FrequencyCaps;
using BidEngine.Core.Time;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Core.Tests.FrequencyCaps;

public sealed class FrequencyCapTableTests
{
    private static readonly ulong CampaignA = FrequencyKey.OfCampaign("cmp-a");
    private static readonly ulong CampaignB = FrequencyKey.OfCampaign("cmp-b");

    private static (FrequencyCapTable Table, ManualClock Clock) Table(int capacity = 1 << 12)
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
        clock.Advance(TimeSpan.FromDays(3)); // away from monotonic zero, as a running bidder is
        return (new FrequencyCapTable(clock, new FrequencyCapOptions { Capacity = capacity }), clock);
    }

    private static ulong User(int i) => FrequencyKey.OfUserId(System.Text.Encoding.UTF8.GetBytes($"user-{i}"));

    [Fact]
    public void TheImpressionAfterTheCapWithinTheWindowIsRefused()
    {
        var (table, clock) = Table();
        var cap = new FrequencyCap(3, 3600);
        var user = User(1);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(table.Allows(user, CampaignA, cap));
            table.Count(user, CampaignA, cap);
            clock.Advance(TimeSpan.FromMinutes(10));
        }

        Assert.False(table.Allows(user, CampaignA, cap));
        Assert.True(table.Allows(user, CampaignB, cap));
        Assert.True(table.Allows(User(2), CampaignA, cap));
    }

    [Fact]
    public void AnImpressionCountsForTheWholeWindowAndAtMostASeventhLonger()
    {
        var (table, clock) = Table();
        var cap = new FrequencyCap(1, 7000); // buckets of 1,000 s
        var user = User(1);
        table.Count(user, CampaignA, cap);
        clock.Advance(TimeSpan.FromSeconds(6999));
        Assert.False(table.Allows(user, CampaignA, cap));
        clock.Advance(TimeSpan.FromSeconds(1001));
        Assert.True(table.Allows(user, CampaignA, cap));
    }

    [Fact]
    public void CountsMatchASlidingWindowWithinOneBucket()
    {
        var (table, clock) = Table();
        var cap = new FrequencyCap(255, 700); // buckets of 100 s
        var user = User(7);
        var random = new Random(5);
        var shown = new List<long>();
        for (var step = 0; step < 5000; step++)
        {
            clock.Advance(TimeSpan.FromSeconds(random.Next(0, 40)));
            var now = clock.Timestamp / TimeSpan.TicksPerSecond;
            if (random.Next(2) == 0)
            {
                table.Count(user, CampaignA, cap);
                shown.Add(now);
            }

            var exact = shown.Count(t => t > now - 700);
            var loose = shown.Count(t => t > now - 800);
            Assert.InRange(table.CountInWindow(user, CampaignA, cap), exact, loose);
        }
    }

    [Fact]
    public void UsersWithoutAKeyFollowTheCampaignsRule()
    {
        var (table, _) = Table();
        Assert.True(table.Allows(0, CampaignA, new FrequencyCap(1, 60, UnknownUserPolicy.Bid)));
        Assert.False(table.Allows(0, CampaignA, new FrequencyCap(1, 60, UnknownUserPolicy.Skip)));
        table.Count(0, CampaignA, new FrequencyCap(1, 60));
        Assert.True(table.Allows(0, CampaignA, new FrequencyCap(1, 60, UnknownUserPolicy.Bid)));
    }

    [Fact]
    public void PastItsCapacityTheTableEvictsAndTheEvictedCanBeShownAgain()
    {
        var (table, _) = Table(capacity: 64);
        var cap = new FrequencyCap(1, 86_400);
        for (var i = 0; i < 10_000; i++)
        {
            table.Count(User(i), CampaignA, cap);
        }

        Assert.Equal(64, table.Capacity);
        Assert.Equal(10_000 - 64, table.Evictions);
        var stillCapped = Enumerable.Range(0, 10_000).Count(i => !table.Allows(User(i), CampaignA, cap));
        Assert.Equal(64, stillCapped);
    }

    [Fact]
    public void SlotsWhoseWindowHasPassedAreReusedLikeEmptyOnes()
    {
        var cap = new FrequencyCap(1, 700);
        var (used, clock) = Table(capacity: 64);
        for (var i = 0; i < 64; i++)
        {
            used.Count(User(i), CampaignA, cap);
        }

        var evictedBefore = used.Evictions;
        clock.Advance(TimeSpan.FromSeconds(800));
        var (fresh, _) = Table(capacity: 64);
        for (var i = 64; i < 112; i++)
        {
            used.Count(User(i), CampaignA, cap);
            fresh.Count(User(i), CampaignA, cap);
        }

        // Only sets that 48 new users overfill evict, exactly as in an empty table.
        Assert.Equal(fresh.Evictions, used.Evictions - evictedBefore);
        Assert.True(Enumerable.Range(0, 64).All(i => used.Allows(User(i), CampaignA, cap)));
    }

    [Fact]
    public void CheckingAndCountingAllocateNothing()
    {
        var (table, clock) = Table();
        var cap = new FrequencyCap(3, 3600);
        var users = Enumerable.Range(1, 100).Select(User).ToArray();
        var allowed = 0;

        void Run()
        {
            for (var i = 0; i < 10_000; i++)
            {
                if (table.Allows(users[i % users.Length], CampaignA, cap))
                {
                    allowed++;
                    table.Count(users[i % users.Length], CampaignA, cap);
                }

                clock.Advance(TimeSpan.FromSeconds(1));
            }
        }

        Run();
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(allowed > 600);
    }

    [Fact]
    public void TheUserKeyIsUserIdThenBuyerUidThenIfa()
    {
        static ulong KeyOf(string json)
        {
            var request = new BidRequest();
            Assert.True(BidRequestParser.Parse(System.Text.Encoding.UTF8.GetBytes(json), request).IsSuccess);
            return FrequencyKey.OfUser(request);
        }

        const string Imp = "\"imp\":[{\"id\":\"1\",\"banner\":{\"w\":300,\"h\":250}}]";
        var byId = KeyOf("{\"id\":\"r\"," + Imp + ",\"user\":{\"id\":\"u1\",\"buyeruid\":\"b1\"},\"device\":{\"ifa\":\"i1\"}}");
        var byBuyer = KeyOf("{\"id\":\"r\"," + Imp + ",\"user\":{\"buyeruid\":\"b1\"},\"device\":{\"ifa\":\"i1\"}}");
        var byIfa = KeyOf("{\"id\":\"r\"," + Imp + ",\"device\":{\"ifa\":\"i1\"}}");
        var none = KeyOf("{\"id\":\"r\"," + Imp + "}");
        Assert.Equal(FrequencyKey.OfUserId("u1"u8), byId);
        Assert.NotEqual(byId, byBuyer);
        Assert.NotEqual(byBuyer, byIfa);
        Assert.NotEqual(0UL, byIfa);
        Assert.Equal(0UL, none);
        Assert.NotEqual(KeyOf("{\"id\":\"r\"," + Imp + ",\"user\":{\"buyeruid\":\"i1\"}}"), byIfa);
    }
}
