using BidEngine.Core.Events;
using BidEngine.Core.Features;
using BidEngine.Core.Pipeline;

namespace BidEngine.Training.Tests;

public sealed class EventRecordTests
{
    private static BidEvent Bid()
    {
        var request = TestRequests.Site();
        return new BidEvent
        {
            RequestId = "req-1",
            ImpId = "1",
            TimestampUnixMs = 1_741_000_000_123,
            CampaignId = "cmp-acme-display",
            CreativeId = "acme-300x250",
            PriceCpm = 2.5,
            PCtr = 0.0042f,
            ScoringPath = ScoringPath.Heuristic,
            Inputs = FeatureInputsRecord.From(FeatureInputs.From(request, request.Imps[0], TestRequests.Acme, TestRequests.Acme300x250, TestRequests.Noon)),
        };
    }

    private static void AssertCommon(EventRecord expected, EventRecord actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected.RequestId, actual.RequestId);
        Assert.Equal(expected.ImpId, actual.ImpId);
        Assert.Equal(expected.TimestampUnixMs, actual.TimestampUnixMs);
        Assert.Equal(expected.CampaignId, actual.CampaignId);
        Assert.Equal(expected.CreativeId, actual.CreativeId);
    }

    [Fact]
    public void RoundTripsABidEventWithItsFeatureInputs()
    {
        var bid = Bid();
        var read = Assert.IsType<BidEvent>(EventSerializer.Deserialize(EventSerializer.Serialize(bid)));
        AssertCommon(bid, read);
        Assert.Equal(bid.PriceCpm, read.PriceCpm);
        Assert.Equal(bid.PCtr, read.PCtr);
        Assert.Equal(bid.ScoringPath, read.ScoringPath);
        Assert.Equal(FeatureSpec.Version, read.FeatureSpecVersion);
        var (a, b) = (bid.Inputs, read.Inputs);
        Assert.Equal(a.IsApp, b.IsApp);
        Assert.Equal(a.SiteOrBundle, b.SiteOrBundle);
        Assert.Equal(a.PublisherId, b.PublisherId);
        Assert.Equal(a.TagId, b.TagId);
        Assert.Equal((a.CreativeKind, a.W, a.H, a.Pos, a.DeviceType), (b.CreativeKind, b.W, b.H, b.Pos, b.DeviceType));
        Assert.Equal(a.Os, b.Os);
        Assert.Equal(a.Make, b.Make);
        Assert.Equal(a.Country, b.Country);
        Assert.Equal(a.Region, b.Region);
        Assert.Equal(a.UtcTicks, b.UtcTicks);
        Assert.Equal(a.UtcOffsetMinutes, b.UtcOffsetMinutes);
        Assert.Equal(a.CampaignId, b.CampaignId);
        Assert.Equal(a.CreativeId, b.CreativeId);
    }

    [Fact]
    public void RoundTripsWinImpressionAndClickEvents()
    {
        var win = new WinEvent { RequestId = "r", ImpId = "2", TimestampUnixMs = 5, CampaignId = "c", CreativeId = "k", PriceCpm = 1.25 };
        var impression = new ImpressionEvent { RequestId = "r", ImpId = "2", TimestampUnixMs = 6, CampaignId = "c", CreativeId = "k", PriceCpm = 1.2 };
        var click = new ClickEvent { RequestId = "r", ImpId = "2", TimestampUnixMs = 7, CampaignId = "c", CreativeId = "k" };

        var w = Assert.IsType<WinEvent>(EventSerializer.Deserialize(EventSerializer.Serialize(win)));
        var i = Assert.IsType<ImpressionEvent>(EventSerializer.Deserialize(EventSerializer.Serialize(impression)));
        var c = Assert.IsType<ClickEvent>(EventSerializer.Deserialize(EventSerializer.Serialize(click)));
        AssertCommon(win, w);
        AssertCommon(impression, i);
        AssertCommon(click, c);
        Assert.Equal(1.25, w.PriceCpm);
        Assert.Equal(1.2, i.PriceCpm);
    }

    [Fact]
    public void KeepsAbsentTextFieldsAbsent()
    {
        var record = FeatureInputsRecord.From(default(FeatureInputs));
        var bid = new BidEvent { Inputs = new FeatureInputsRecord { UtcOffsetMinutes = null } };
        var read = Assert.IsType<BidEvent>(EventSerializer.Deserialize(EventSerializer.Serialize(bid)));
        Assert.Null(read.Inputs.SiteOrBundle);
        Assert.Null(read.Inputs.UtcOffsetMinutes);
        Assert.False(read.Inputs.ToInputs().HasUtcOffset);
        Assert.Empty(record.SiteOrBundle!);
    }

    [Fact]
    public async Task WritesAndReadsAStreamOfMixedRecordsInOrder()
    {
        using var stream = new MemoryStream();
        EventRecord[] records =
        [
            Bid(),
            new WinEvent { RequestId = "req-1", ImpId = "1", PriceCpm = 1 },
            new ImpressionEvent { RequestId = "req-1", ImpId = "1", PriceCpm = 1 },
            new ClickEvent { RequestId = "req-1", ImpId = "1" },
        ];
        using (var writer = new EventStreamWriter(stream, leaveOpen: true))
        {
            writer.Write(records[0]);
            writer.Write(records[1]);
            await writer.WriteAsync(records[2]);
            await writer.WriteAsync(records[3]);
            Assert.Equal(4, writer.Count);
        }

        stream.Position = 0;
        using var reader = new EventStreamReader(new OneByteStream(stream.ToArray()));
        var read = new List<EventRecord>();
        await foreach (var record in reader.ReadAllAsync())
        {
            read.Add(record);
        }

        Assert.Equal(records.Select(r => r.GetType()), read.Select(r => r.GetType()));
        foreach (var (expected, actual) in records.Zip(read))
        {
            AssertCommon(expected, actual);
        }
    }

    /// <summary>Hands out one byte per read, as a slow socket or pipe might.</summary>
    private sealed class OneByteStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(1, count));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(1, buffer.Length)]);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(1, count), cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
