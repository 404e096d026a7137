using BidEngine.Core.Events;
using BidEngine.Core.Features;
using BidEngine.Core.Pipeline;
using MessagePack;

namespace BidEngine.Core.Tests.Events;

public sealed class EventLogTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EncodesABidInTheSerializersOwnBytes()
    {
        var requests = new LoggedRequests();
        var context = requests.Decide();
        var candidate = context.Candidates.Single(c => ReferenceEquals(c.Creative.IdUtf8, context.Response.Bids[0].Crid));
        var request = context.Request;
        var imp = request.Imps[candidate.ImpIndex];
        var now = Start.UtcDateTime;
        var inputs = FeatureInputs.From(request, imp, candidate.Campaign, candidate.Creative, now);

        var slot = new RecordSlot();
        var w = new MessagePackWriter(slot);
        EventRecordEncoder.WriteBid(ref w, request[request.Id], request[imp.Id], 1234, candidate.BidUsd, (float)candidate.Ctr, ScoringPath.Heuristic, inputs, 87);

        var expected = EventSerializer.Serialize(new BidEvent
        {
            RequestId = System.Text.Encoding.UTF8.GetString(request[request.Id]),
            ImpId = System.Text.Encoding.UTF8.GetString(request[imp.Id]),
            TimestampUnixMs = 1234,
            CampaignId = candidate.Campaign.Id,
            CreativeId = candidate.Creative.Id,
            PriceCpm = candidate.BidUsd,
            PCtr = (float)candidate.Ctr,
            ScoringPath = ScoringPath.Heuristic,
            Inputs = FeatureInputsRecord.From(inputs),
            DecisionMicros = 87,
        });
        Assert.Equal(expected, slot.Written.ToArray());
    }

    [Fact]
    public void EncodesOutcomesAndNoBidsInTheSerializersOwnBytes()
    {
        Assert.Equal(Expected(new WinEvent { PriceCpm = 1.25 }), Encoded((ref MessagePackWriter w) => EventRecordEncoder.WriteOutcome(ref w, EventRecordType.Win, Keys(), 99, 1.25)));
        Assert.Equal(Expected(new ImpressionEvent { PriceCpm = 0.5 }), Encoded((ref MessagePackWriter w) => EventRecordEncoder.WriteOutcome(ref w, EventRecordType.Bill, Keys(), 99, 0.5)));
        Assert.Equal(Expected(new ClickEvent()), Encoded((ref MessagePackWriter w) => EventRecordEncoder.WriteOutcome(ref w, EventRecordType.Click, Keys(), 99, 0)));
        Assert.Equal(
            EventSerializer.Serialize(new ClickEvent { CampaignId = "cmp", TimestampUnixMs = 99 }),
            Encoded((ref MessagePackWriter w) => EventRecordEncoder.WriteOutcome(ref w, EventRecordType.Click, new OutcomeKeys("", "", "cmp", ""), 99, 0)));
        Assert.Equal(Expected(new LossEvent { Reason = 102, MinToWinCpm = 3.5 }), Encoded((ref MessagePackWriter w) => EventRecordEncoder.WriteLoss(ref w, Keys(), 99, 102, 3.5)));
        Assert.Equal(Expected(new LossEvent { Reason = 2 }), Encoded((ref MessagePackWriter w) => EventRecordEncoder.WriteLoss(ref w, Keys(), 99, 2, null)));
        Assert.Equal(
            EventSerializer.Serialize(new NoBidEvent { RequestId = "req-1", TimestampUnixMs = 99, ScoringPath = ScoringPath.NoCandidates, DecisionMicros = 12 }),
            Encoded((ref MessagePackWriter w) => EventRecordEncoder.WriteNoBid(ref w, "req-1"u8, 99, ScoringPath.NoCandidates, 12)));

        static OutcomeKeys Keys() => new("req-1", "imp-2", "cmp é", "cr-4");

        static byte[] Expected(EventRecord record)
        {
            record.RequestId = "req-1";
            record.ImpId = "imp-2";
            record.CampaignId = "cmp é";
            record.CreativeId = "cr-4";
            record.TimestampUnixMs = 99;
            return EventSerializer.Serialize(record);
        }
    }

    [Fact]
    public async Task DropsAndCountsRecordsWhenTheQueueIsFullInsteadOfWaiting()
    {
        using var folder = new TempFolder();
        var log = new EventLog(new EventLogOptions { Folder = folder.Path, QueueCapacity = 16 }, new ManualTime(Start));
        var keys = new OutcomeKeys("", "", "cmp-globex-mobile", "");
        var accepted = 0;
        for (var i = 0; i < 40; i++)
        {
            accepted += log.TryAppendBill(keys, 1) ? 1 : 0;
        }

        // No writer runs: the first 16 wait in the queue, the other 24 are dropped and counted.
        Assert.Equal(16, accepted);
        Assert.Equal(16, log.Queued);
        Assert.Equal(24, log.Dropped(EventRecordType.Bill));
        Assert.Equal(0, log.Dropped(EventRecordType.Bid));

        log.OpenFiles();
        Assert.Equal(16, log.Pump(forceFlush: true));
        Assert.True(log.TryAppendClick(keys));
        log.CloseFiles();
        Assert.Equal(16, log.Written(EventRecordType.Bill));
        Assert.Equal(1, log.Written(EventRecordType.Click));

        // The folder itself says what it misses: one drop record, written at the flush.
        var records = await ReadAllAsync(folder.Path);
        var drops = Assert.Single(records.OfType<DroppedEvent>());
        Assert.Equal(24, drops.Counts[(int)EventRecordType.Bill]);
        Assert.Equal(16, records.OfType<ImpressionEvent>().Count());
    }

    [Fact]
    public async Task RotatesAFileOnceItWouldPassItsSize()
    {
        using var folder = new TempFolder();
        var log = new EventLog(new EventLogOptions { Folder = folder.Path, MaxFileBytes = 4096 }, new ManualTime(Start));
        var requests = new LoggedRequests();
        log.OpenFiles();
        for (var i = 0; i < 100; i++)
        {
            Assert.True(log.TryAppendDecision(requests.Decide($"req-{i}"), 0));
            log.Pump();
        }

        log.CloseFiles();
        var files = RotatingEventFiles.List(folder.Path);
        var bytes = log.BytesWritten;
        Assert.True(bytes > 3 * 4096 && files.Length >= bytes / 4096, $"{files.Length} files for {bytes} bytes");
        Assert.All(files, f => Assert.InRange(new FileInfo(f).Length, 1, 4096));
        Assert.Equal(bytes, files.Sum(f => new FileInfo(f).Length));

        var ids = await ReadRequestIdsAsync(folder.Path);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"req-{i}"), ids);
    }

    [Fact]
    public async Task RotatesAFileOnceItIsOlderThanItsAgeEvenWhenQuiet()
    {
        using var folder = new TempFolder();
        var time = new ManualTime(Start);
        var log = new EventLog(new EventLogOptions { Folder = folder.Path, MaxFileAgeSeconds = 60, FlushIntervalMs = 100 }, time);
        var keys = new OutcomeKeys("r", "1", "c", "cr");
        log.OpenFiles();
        log.TryAppendClick(keys);
        log.Pump();
        time.Advance(TimeSpan.FromSeconds(30));
        log.TryAppendClick(keys);
        log.Pump();
        Assert.Single(RotatingEventFiles.List(folder.Path));

        // Quiet for the rest of the minute: the flush round closes the file without a new record.
        time.Advance(TimeSpan.FromSeconds(31));
        log.Pump();
        log.TryAppendClick(keys);
        log.Pump();
        log.CloseFiles();
        var files = RotatingEventFiles.List(folder.Path);
        Assert.Equal(2, files.Length);
        Assert.Equal("events-20250301T120000.000Z-000001.msgpack", Path.GetFileName(files[0]));
        Assert.Equal("events-20250301T120101.000Z-000002.msgpack", Path.GetFileName(files[1]));
        Assert.Equal(2, await CountAsync(files[0]));
        Assert.Equal(1, await CountAsync(files[1]));
    }

    [Fact]
    public async Task DeletesTheOldestFilesPastTheTotalSize()
    {
        using var folder = new TempFolder();
        var log = new EventLog(new EventLogOptions { Folder = folder.Path, MaxFileBytes = 4096, MaxTotalBytes = 3 * 4096 }, new ManualTime(Start));
        var requests = new LoggedRequests();
        log.OpenFiles();
        for (var i = 0; i < 200; i++)
        {
            log.TryAppendDecision(requests.Decide($"req-{i}"), 0);
            log.Pump();
        }

        log.CloseFiles();
        var files = RotatingEventFiles.List(folder.Path);
        Assert.True(files.Sum(f => new FileInfo(f).Length) <= 3 * 4096);
        Assert.True(log.FilesOpened > files.Length, $"{log.FilesOpened} opened, {files.Length} kept");

        // What is kept is the newest: the last request is there, the first is not.
        var ids = await ReadRequestIdsAsync(folder.Path);
        Assert.Equal("req-199", ids[^1]);
        Assert.DoesNotContain("req-0", ids);
    }

    [Fact]
    public async Task WritesEveryQueuedRecordWhenStopped()
    {
        using var folder = new TempFolder();
        var log = new EventLog(new EventLogOptions { Folder = folder.Path, FlushIntervalMs = 60_000, QueueCapacity = 4096 });
        log.Start();
        var requests = new LoggedRequests();
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(log.TryAppendDecision(requests.Decide($"req-{i}"), 0));
            Assert.True(log.TryAppendBill(new OutcomeKeys($"req-{i}", "1", "c", "cr"), 1));
        }

        await log.StopAsync();
        Assert.False(log.TryAppendClick(new OutcomeKeys("late", "1", "c", "cr")));
        Assert.Equal(1, log.Dropped(EventRecordType.Click));
        var records = await ReadAllAsync(folder.Path);
        Assert.Equal(1000, records.OfType<BidEvent>().Count());
        Assert.Equal(1000, records.OfType<ImpressionEvent>().Count());
        Assert.Equal(1000, log.Written(EventRecordType.Bid));
    }

    [Fact]
    public async Task LogsABidWithTheInputsItWasScoredFrom()
    {
        using var folder = new TempFolder();
        var time = new ManualTime(Start);
        var log = new EventLog(LoggedRequests.Options(folder.Path), time);
        var requests = new LoggedRequests();
        var context = requests.Decide("req-x");
        log.OpenFiles();
        Assert.True(log.TryAppendDecision(context, 0));
        log.CloseFiles();

        var bid = Assert.Single((await ReadAllAsync(folder.Path)).OfType<BidEvent>());
        var candidate = context.Candidates.Single(c => ReferenceEquals(c.Creative.IdUtf8, context.Response.Bids[0].Crid));
        Assert.Equal("req-x", bid.RequestId);
        Assert.Equal(candidate.Campaign.Id, bid.CampaignId);
        Assert.Equal(candidate.Creative.Id, bid.CreativeId);
        Assert.Equal(candidate.BidUsd, bid.PriceCpm);
        Assert.Equal(ScoringPath.Heuristic, bid.ScoringPath);
        Assert.Equal(Start.ToUnixTimeMilliseconds(), bid.TimestampUnixMs);

        // The ids training hashes from the record are the ones the bidder hashes from the request.
        var fromRequest = new long[FeatureSpec.FeatureCount];
        var fromRecord = new long[FeatureSpec.FeatureCount];
        var request = context.Request;
        FeatureSpec.Hash(FeatureInputs.From(request, request.Imps[candidate.ImpIndex], candidate.Campaign, candidate.Creative, Start.UtcDateTime), fromRequest, 20);
        FeatureSpec.Hash(bid.Inputs.ToInputs(), fromRecord, 20);
        Assert.Equal(fromRequest, fromRecord);
    }

    [Fact]
    public void SamplesBidsAndNoBidsByTheRequestIdTheSameWayEveryTime()
    {
        using var folder = new TempFolder();
        var options = new EventLogOptions { Folder = folder.Path, SampleBids = 0.3, QueueCapacity = 4096 };
        var first = new EventLog(options);
        var second = new EventLog(options);
        var requests = new LoggedRequests();
        var kept = 0;
        for (var i = 0; i < 2000; i++)
        {
            var context = requests.Decide($"req-{i}");
            first.TryAppendDecision(context, 0);
            var before = second.Queued;
            second.TryAppendDecision(context, 0);
            kept += second.Queued - before;
        }

        Assert.Equal(first.Queued, second.Queued);
        Assert.InRange(kept, 500, 700);

        // No-bids are off by default: nothing queued for a request without bids.
        var noBid = new LoggedRequests().Context;
        noBid.Reset();
        var idle = new EventLog(new EventLogOptions { Folder = folder.Path });
        Assert.True(idle.TryAppendDecision(noBid, 0));
        Assert.Equal(0, idle.Queued);
        var all = new EventLog(new EventLogOptions { Folder = folder.Path, SampleNoBids = 1 });
        Assert.True(all.TryAppendDecision(noBid, 0));
        Assert.Equal(1, all.Queued);
    }

    [Fact]
    public void DoesNothingWhenOff()
    {
        var requests = new LoggedRequests();
        Assert.False(EventLog.Off.TryAppendDecision(requests.Decide(), 0));
        Assert.False(EventLog.Off.TryAppendBill(new OutcomeKeys("r", "1", "c", "cr"), 1));
        Assert.Equal(0, EventLog.Off.Dropped(EventRecordType.Bill));
    }

    [Fact]
    public void AppendingADecisionAllocatesNothingOnceTheSlotsAreWarm()
    {
        using var folder = new TempFolder();
        var log = new EventLog(new EventLogOptions { Folder = folder.Path, QueueCapacity = 64 }, new ManualTime(Start));
        log.OpenFiles();
        var requests = new LoggedRequests();

        void OneRequest()
        {
            var context = requests.Decide();
            if (!log.TryAppendDecision(context, 1) || !log.TryAppendBill(new OutcomeKeys("req", "1", "cmp", "cr"), 1.5))
            {
                throw new InvalidOperationException("dropped");
            }

            log.Pump();
        }

        // Every slot once, so each has its buffer.
        for (var i = 0; i < 200; i++)
        {
            OneRequest();
        }

        const int Rounds = 1000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
        {
            OneRequest();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        log.CloseFiles();
        Assert.True(allocated == 0, $"{allocated} bytes over {Rounds} requests with the log on (parse, decide, log, write to file)");
        Assert.Equal(1200, log.Written(EventRecordType.Bid));
    }

    [Fact]
    public async Task ReaderSkipsATornLastRecordCutAtAnyByte()
    {
        using var folder = new TempFolder();
        var log = new EventLog(LoggedRequests.Options(folder.Path), new ManualTime(Start));
        var requests = new LoggedRequests();
        log.OpenFiles();
        for (var i = 0; i < 3; i++)
        {
            log.TryAppendDecision(requests.Decide($"req-{i}"), 0);
        }

        log.TryAppendClick(new OutcomeKeys("req-2", "1", "c", "cr"));
        log.CloseFiles();
        var file = Assert.Single(RotatingEventFiles.List(folder.Path));
        var whole = await File.ReadAllBytesAsync(file);
        var click = EventSerializer.Serialize(new ClickEvent { RequestId = "req-2", ImpId = "1", CampaignId = "c", CreativeId = "cr", TimestampUnixMs = Start.ToUnixTimeMilliseconds() });
        Assert.Equal(click, whole[^click.Length..]);
        var lastStart = whole.Length - click.Length;

        for (var cut = lastStart; cut < whole.Length; cut++)
        {
            var warnings = new List<string>();
            using var reader = new EventStreamReader(new MemoryStream(whole, 0, cut), warn: warnings.Add);
            var records = new List<EventRecord>();
            while (await reader.ReadAsync() is { } record)
            {
                records.Add(record);
            }

            Assert.Equal(3, records.Count);
            Assert.All(records, r => Assert.IsType<BidEvent>(r));
            Assert.Equal(cut - lastStart, reader.TornTailBytes);
            Assert.Equal(cut == lastStart ? 0 : 1, warnings.Count);
        }

        using var intact = new EventStreamReader(new MemoryStream(whole));
        var count = 0;
        while (await intact.ReadAsync() is not null)
        {
            count++;
        }

        Assert.Equal(4, count);
        Assert.Equal(0, intact.TornTailBytes);
    }

    private static async Task<List<string>> ReadRequestIdsAsync(string folder) =>
        (await ReadAllAsync(folder)).OfType<BidEvent>().Select(b => b.RequestId).ToList();

    private static async Task<List<EventRecord>> ReadAllAsync(string folder)
    {
        var records = new List<EventRecord>();
        await foreach (var record in EventLogFolder.ReadAllAsync(folder))
        {
            records.Add(record);
        }

        return records;
    }

    private static async Task<int> CountAsync(string file)
    {
        using var reader = EventStreamReader.Open(file);
        var n = 0;
        while (await reader.ReadAsync() is not null)
        {
            n++;
        }

        return n;
    }

    private delegate void Encode(ref MessagePackWriter writer);

    private static byte[] Encoded(Encode encode)
    {
        var slot = new RecordSlot();
        var w = new MessagePackWriter(slot);
        encode(ref w);
        return slot.Written.ToArray();
    }
}
