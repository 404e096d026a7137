using BidEngine.Core.Events;
using BidEngine.Core.Features;

namespace BidEngine.Training.Tests;

public sealed class FeatureSpecTests
{
    private static long[] Ids(Action<Span<long>> write)
    {
        var ids = new long[FeatureSpec.FeatureCount];
        write(ids);
        return ids;
    }

    [Fact]
    public void HashesTheSameRowToTheSameIdsEveryTimeAndWithinTheSpace()
    {
        var request = TestRequests.Site();
        var a = Ids(ids => FeatureExtractor.Write(request, request.Imps[0], TestRequests.Acme, TestRequests.Acme300x250, TestRequests.Noon, ids, 18));
        var b = Ids(ids => FeatureExtractor.Write(TestRequests.Site(), TestRequests.Site().Imps[0], TestRequests.Acme, TestRequests.Acme300x250, TestRequests.Noon, ids, 18));
        Assert.Equal(a, b);
        Assert.All(a, id => Assert.InRange(id, 0, (1 << 18) - 1));
        Assert.Equal(FeatureSpec.FeatureCount, a.Distinct().Count());
    }

    [Fact]
    public void KeepsTheIdsOfVersionOneStable()
    {
        // A model is only valid for the ids it was trained on: if this changes, bump FeatureSpec.Version.
        var request = TestRequests.Site();
        var ids = Ids(ids => FeatureExtractor.Write(request, request.Imps[0], TestRequests.Acme, TestRequests.Acme300x250, TestRequests.Noon, ids, 22));
        var low = Ids(ids => FeatureExtractor.Write(request, request.Imps[0], TestRequests.Acme, TestRequests.Acme300x250, TestRequests.Noon, ids, 18));
        Assert.Equal(ids.Select(id => id & ((1 << 18) - 1)), low);
        Assert.Equal("ctr-features-v1", FeatureSpec.Version);
    }

    [Fact]
    public void WritesFeaturesWithoutAllocating()
    {
        var request = TestRequests.Site();
        var imp = request.Imps[0];
        var campaign = TestRequests.Acme;
        var creative = TestRequests.Acme300x250;
        Span<long> ids = stackalloc long[FeatureSpec.FeatureCount];
        FeatureExtractor.Write(request, imp, campaign, creative, TestRequests.Noon, ids, 18);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            FeatureExtractor.Write(request, imp, campaign, creative, TestRequests.Noon.AddMinutes(i), ids, 18);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void HashesLoggedInputsWithoutAllocating()
    {
        var request = TestRequests.Site();
        var record = FeatureInputsRecord.From(FeatureInputs.From(request, request.Imps[0], TestRequests.Acme, TestRequests.Acme300x250, TestRequests.Noon));
        Span<long> ids = stackalloc long[FeatureSpec.FeatureCount];
        FeatureSpec.Hash(record.ToInputs(), ids, 18);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            FeatureSpec.Hash(record.ToInputs(), ids, 18);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(330)]
    [InlineData(null)]
    public void GivesTheSameIdsFromARequestAndFromItsLoggedBidEvent(int? utcOffset)
    {
        var request = TestRequests.Site(utcOffset: utcOffset);
        var imp = request.Imps[0];
        var now = TestRequests.Noon.AddTicks(123_456_789);
        var served = Ids(ids => FeatureExtractor.Write(request, imp, TestRequests.Acme, TestRequests.Acme300x250, now, ids, 20));

        var logged = new BidEvent { RequestId = "req-1", ImpId = "1", Inputs = FeatureInputsRecord.From(FeatureInputs.From(request, imp, TestRequests.Acme, TestRequests.Acme300x250, now)) };
        var read = (BidEvent)EventSerializer.Deserialize(EventSerializer.Serialize(logged));
        var trained = Ids(ids => FeatureSpec.Hash(read.Inputs.ToInputs(), ids, 20));

        Assert.Equal(served, trained);
    }

    [Fact]
    public void UsesTheUsersLocalHourWhenTheOffsetIsKnownAndMarksAnUnknownTimeZone()
    {
        var inNewYork = FeatureInputs.From(TestRequests.Site(utcOffset: -300), TestRequests.Site().Imps[0], TestRequests.Acme, TestRequests.Acme300x250, TestRequests.Noon);
        Assert.Equal((7, 3), inNewYork.LocalTime());

        var unknown = FeatureInputs.From(TestRequests.Site(utcOffset: null), TestRequests.Site().Imps[0], TestRequests.Acme, TestRequests.Acme300x250, TestRequests.Noon);
        Assert.Equal((12, 3), unknown.LocalTime());

        // 12:30 UTC in an unknown zone is not 12:30 in a zone at UTC+0.
        var utc = Ids(ids => FeatureSpec.Hash(FeatureInputs.From(TestRequests.Site(utcOffset: 0), TestRequests.Site().Imps[0], TestRequests.Acme, TestRequests.Acme300x250, TestRequests.Noon), ids, 18));
        var noZone = new long[FeatureSpec.FeatureCount];
        FeatureSpec.Hash(unknown, noZone, 18);
        Assert.NotEqual(utc[FeatureSpec.Hour], noZone[FeatureSpec.Hour]);
        Assert.NotEqual(utc[FeatureSpec.DayOfWeek], noZone[FeatureSpec.DayOfWeek]);
    }

    [Fact]
    public void ComputesLocalTimeAcrossMidnightAndNearTheStartOfTime()
    {
        var inputs = new FeatureInputs { UtcNow = new DateTime(2025, 3, 2, 23, 0, 0, DateTimeKind.Utc), HasUtcOffset = true, UtcOffsetMinutes = 120 };
        Assert.Equal((1, (int)DayOfWeek.Monday), inputs.LocalTime());
        var early = new FeatureInputs { UtcNow = DateTime.MinValue, HasUtcOffset = true, UtcOffsetMinutes = -60 };
        Assert.Equal((23, (int)DayOfWeek.Sunday), early.LocalTime());
    }

    [Fact]
    public void SeedsEachFieldSoEqualValuesOfDifferentFieldsDoNotCollide()
    {
        var site = new FeatureInputs { SiteOrBundle = "example.com"u8, PublisherId = "example.com"u8, TagId = "example.com"u8 };
        var app = site;
        app.IsApp = true;
        var siteIds = new long[FeatureSpec.FeatureCount];
        var appIds = new long[FeatureSpec.FeatureCount];
        FeatureSpec.Hash(site, siteIds, 22);
        FeatureSpec.Hash(app, appIds, 22);
        Assert.NotEqual(siteIds[FeatureSpec.Publisher], siteIds[FeatureSpec.Tag]);
        Assert.NotEqual(siteIds[FeatureSpec.Site], siteIds[FeatureSpec.Publisher]);
        Assert.NotEqual(siteIds[FeatureSpec.Site], appIds[FeatureSpec.Site]);
    }

    [Fact]
    public void IgnoresAsciiCaseOfOsCountryAndDomain()
    {
        var lower = Ids(ids => FeatureExtractor.Write(TestRequests.Site("news.example", os: "ios", country: "usa"), TestRequests.Site().Imps[0], TestRequests.Acme, TestRequests.Acme300x250, TestRequests.Noon, ids, 18));
        var mixed = Ids(ids => FeatureExtractor.Write(TestRequests.Site("News.Example", os: "iOS", country: "USA"), TestRequests.Site().Imps[0], TestRequests.Acme, TestRequests.Acme300x250, TestRequests.Noon, ids, 18));
        Assert.Equal(lower, mixed);
    }

    [Theory]
    [InlineData(17)]
    [InlineData(23)]
    public void RejectsHashBitsOutsideTheSpec(int bits)
    {
        var ids = new long[FeatureSpec.FeatureCount];
        Assert.Throws<ArgumentOutOfRangeException>(() => FeatureSpec.Hash(default, ids, bits));
    }

    [Fact]
    public void RejectsTooFewIdSlots()
    {
        var ids = new long[FeatureSpec.FeatureCount - 1];
        Assert.Throws<ArgumentException>(() => FeatureSpec.Hash(default, ids, 18));
    }
}
