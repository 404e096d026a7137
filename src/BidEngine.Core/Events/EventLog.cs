using System.Diagnostics;
using System.Runtime.InteropServices;
using BidEngine.Core.Features;
using BidEngine.Core.Pipeline;
using MessagePack;

namespace BidEngine.Core.Events;

/// <summary>
/// The bid log: request threads hand records with <c>TryAppend…</c> (one method per record type),
/// one background thread writes them to <see cref="RotatingEventFiles"/>. Between the two, a ring
/// of <see cref="EventLogOptions.QueueCapacity"/> preallocated <see cref="RecordSlot"/>s: a request
/// thread takes a free slot, encodes the record into it (<see cref="EventRecordEncoder"/>, straight
/// from the request's spans) and queues it, never blocking and allocating nothing once the slots
/// have their buffers. With no free slot the record is dropped and counted by type
/// (<see cref="Dropped"/>). The writer hands its bytes to the OS every <see cref="EventLogOptions.FlushIntervalMs"/>
/// and drains the queue on <see cref="StopAsync"/>. When the log is off every call returns false at once.
/// </summary>
public sealed class EventLog : IDisposable
{
    private static readonly int TypeCount = Enum.GetValues<EventRecordType>().Length;

    private readonly EventLogOptions _options;
    private readonly TimeProvider _time;
    private readonly RecordSlot[] _slots;
    private readonly SlotQueue _free;
    private readonly SlotQueue _filled;
    private readonly long[] _dropped;
    private readonly long[] _written;
    private readonly long[] _droppedLogged;
    private readonly ulong _bidThreshold;
    private readonly ulong _noBidThreshold;
    private readonly ulong _refusedThreshold;
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<string>? _warn;
    private RotatingEventFiles? _files;
    private Thread? _thread;
    private long _lastFlush;
    private volatile bool _stopping;
    private volatile bool _closed;
    private volatile bool _decisionsPaused;

    /// <summary>A log that is off: every append returns false and counts nothing.</summary>
    public static EventLog Off { get; } = new(new EventLogOptions());

    /// <param name="warn">Told when a write fails (disk full, folder gone); the writer keeps trying with the next record.</param>
    public EventLog(EventLogOptions options, TimeProvider? time = null, Action<string>? warn = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _warn = warn;
        Enabled = options.Enabled;
        _dropped = new long[TypeCount];
        _written = new long[TypeCount];
        _droppedLogged = new long[TypeCount];
        _bidThreshold = Threshold(options.SampleBids);
        _noBidThreshold = Threshold(options.SampleNoBids);
        _refusedThreshold = Threshold(options.SampleTrafficRefusals);
        var capacity = Enabled ? (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, options.QueueCapacity)) : 2;
        Capacity = Enabled ? Math.Max(2, options.QueueCapacity) : 0;
        _slots = new RecordSlot[capacity];
        _free = new SlotQueue(capacity);
        _filled = new SlotQueue(capacity);
        for (var i = 0; i < Capacity; i++)
        {
            _slots[i] = new RecordSlot();
            _free.TryEnqueue(i);
        }
    }

    public bool Enabled { get; }

    /// <summary>Records that can wait for the writer at once.</summary>
    public int Capacity { get; }

    /// <summary>Records waiting for the writer now.</summary>
    public int Queued => _filled.Count;

    /// <summary>Stops logging decisions (not outcomes) until <see cref="ResumeDecisions"/>: the server's warm-up requests are not traffic to learn from.</summary>
    public void PauseDecisions() => _decisionsPaused = true;

    public void ResumeDecisions() => _decisionsPaused = false;

    public long Dropped(EventRecordType type) => Volatile.Read(ref _dropped[(int)type]);

    public long Written(EventRecordType type) => Volatile.Read(ref _written[(int)type]);

    public long BytesWritten => _files?.BytesWritten ?? 0;

    public long FilesOpened => _files?.FilesOpened ?? 0;

    /// <summary>
    /// Logs one request's decision, after the pipeline ran: a <see cref="BidEvent"/> per bid (with the
    /// feature inputs of its candidate) when the request is in the <see cref="EventLogOptions.SampleBids"/>
    /// share, else a <see cref="NoBidEvent"/> when it is in the <see cref="EventLogOptions.SampleNoBids"/>
    /// share. Returns false when anything was dropped or the log is off.
    /// </summary>
    /// <param name="arrivalTimestamp">The request's arrival (<see cref="Stopwatch"/> ticks), for the decision time.</param>
    public bool TryAppendDecision(BidContext context, long arrivalTimestamp)
    {
        if (!Enabled || _decisionsPaused)
        {
            return false;
        }

        var request = context.Request;
        var requestId = request[request.Id];
        var sample = SampleHash(requestId);
        var bids = context.Response.Bids;
        var micros = arrivalTimestamp == 0 ? 0 : (long)Stopwatch.GetElapsedTime(arrivalTimestamp).TotalMicroseconds;
        var now = _time.GetUtcNow();
        var unixMs = now.ToUnixTimeMilliseconds();
        if (bids.Count == 0)
        {
            if (sample >= (context.Traffic.MayBid ? _noBidThreshold : _refusedThreshold))
            {
                return true;
            }

            if (!TryTake(EventRecordType.NoBid, out var slot))
            {
                return false;
            }

            var w = new MessagePackWriter(slot);
            EventRecordEncoder.WriteNoBid(ref w, requestId, unixMs, context.Path, micros, context.Privacy.Reason, context.Traffic.Logged);
            return Queue(slot);
        }

        if (sample >= _bidThreshold)
        {
            return true;
        }

        var all = true;
        var candidates = CollectionsMarshal.AsSpan(context.Candidates);
        for (var b = 0; b < bids.Count; b++)
        {
            var bid = bids[b];
            var found = Find(candidates, request, bid);
            if (found < 0)
            {
                // A bid the pipeline made without a candidate: nothing to learn from; not expected.
                continue;
            }

            if (!TryTake(EventRecordType.Bid, out var slot))
            {
                all = false;
                continue;
            }

            ref readonly var c = ref candidates[found];
            var imp = request.Imps[c.ImpIndex];

            // The wall clock read here, not the one the scorer read microseconds earlier: the hour
            // and weekday features differ only if an hour ends in between.
            var inputs = FeatureInputs.From(request, imp, c.Campaign, c.Creative, now.UtcDateTime);
            var w = new MessagePackWriter(slot);
            EventRecordEncoder.WriteBid(ref w, requestId, request[imp.Id], unixMs, c.BidUsd, (float)c.Ctr, context.Path, inputs, micros, context.Privacy.Reason, context.Traffic.Reported);
            all &= Queue(slot);
        }

        return all;
    }

    /// <summary>The exchange's win notice: the auction cleared at <paramref name="priceCpm"/>. Never sampled.</summary>
    public bool TryAppendWin(scoped in OutcomeKeys keys, double priceCpm) => AppendOutcome(EventRecordType.Win, keys, priceCpm);

    /// <summary>The billing notice (an impression): <paramref name="priceCpm"/> was paid. Never sampled.</summary>
    public bool TryAppendBill(scoped in OutcomeKeys keys, double priceCpm) => AppendOutcome(EventRecordType.Bill, keys, priceCpm);

    /// <summary>A click on a billed impression. Never sampled.</summary>
    public bool TryAppendClick(scoped in OutcomeKeys keys) => AppendOutcome(EventRecordType.Click, keys, 0);

    /// <summary>The loss notice: OpenRTB loss <paramref name="reason"/> and, when given, the price that would have won. Never sampled.</summary>
    public bool TryAppendLoss(scoped in OutcomeKeys keys, int reason, double? minToWinCpm)
    {
        if (!Enabled)
        {
            return false;
        }

        if (!TryTake(EventRecordType.Loss, out var slot))
        {
            return false;
        }

        var w = new MessagePackWriter(slot);
        EventRecordEncoder.WriteLoss(ref w, keys, _time.GetUtcNow().ToUnixTimeMilliseconds(), reason, minToWinCpm);
        return Queue(slot);
    }

    /// <summary>Starts the writer thread. The folder is created if missing.</summary>
    public void Start()
    {
        if (!Enabled || _thread is not null)
        {
            return;
        }

        _files = new RotatingEventFiles(_options.Folder, _options.MaxFileBytes, TimeSpan.FromSeconds(_options.MaxFileAgeSeconds), _options.MaxTotalBytes, _time, _options.Node);
        _lastFlush = _time.GetTimestamp();
        _thread = new Thread(Run) { IsBackground = true, Name = "event-log-writer" };
        _thread.Start();
    }

    /// <summary>Refuses new records, writes every queued one, flushes and closes the file. Completes when the writer has ended.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        _stopping = true;
        _wake.Set();
        return _thread is null ? Task.CompletedTask : _stopped.Task.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        StopAsync().GetAwaiter().GetResult();
        _wake.Dispose();
    }

    /// <summary>
    /// One round of the writer: every queued record to the file, then a flush if the interval has
    /// passed. The writer thread calls it in a loop; tests call it directly for a writer without
    /// a thread (<see cref="OpenFiles"/>). Returns the records written.
    /// </summary>
    internal int Pump(bool forceFlush = false)
    {
        var files = _files!;
        var count = 0;
        while (_filled.TryDequeue(out var index))
        {
            var slot = _slots[index];
            try
            {
                files.Write(slot.Written);
                Interlocked.Increment(ref _written[(int)slot.Type]);
            }
            catch (IOException e)
            {
                Interlocked.Increment(ref _dropped[(int)slot.Type]);
                _warn?.Invoke($"event log: a {slot.Type} record was lost: {e.Message}");
            }

            slot.Clear();
            _free.TryEnqueue(index);
            count++;
        }

        var now = _time.GetTimestamp();
        if (forceFlush || _time.GetElapsedTime(_lastFlush, now).TotalMilliseconds >= _options.FlushIntervalMs)
        {
            try
            {
                LogDrops(files);
                files.Flush();
                files.CloseIfOld();
            }
            catch (IOException e)
            {
                _warn?.Invoke($"event log: flush failed: {e.Message}");
            }

            _lastFlush = now;
        }

        return count;
    }

    /// <summary>At a flush, a <see cref="DroppedEvent"/> with what was dropped since the last one, if anything (allocates; rare).</summary>
    private void LogDrops(RotatingEventFiles files)
    {
        long[]? counts = null;
        for (var t = 0; t < TypeCount; t++)
        {
            var dropped = Volatile.Read(ref _dropped[t]);
            if (dropped != _droppedLogged[t])
            {
                counts ??= new long[TypeCount];
                counts[t] = dropped - _droppedLogged[t];
                _droppedLogged[t] = dropped;
            }
        }

        if (counts is not null)
        {
            files.Write(EventSerializer.Serialize(new DroppedEvent { TimestampUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds(), Counts = counts }));
        }
    }

    /// <summary>For tests: the files without the thread, driven by <see cref="Pump"/>.</summary>
    internal void OpenFiles() =>
        _files ??= new RotatingEventFiles(_options.Folder, _options.MaxFileBytes, TimeSpan.FromSeconds(_options.MaxFileAgeSeconds), _options.MaxTotalBytes, _time, _options.Node);

    internal void CloseFiles()
    {
        _closed = true;
        Pump(forceFlush: true);
        _files?.Dispose();
    }

    /// <summary>FNV-1a of the request id, as a fraction of 2^64: the same requests are sampled in every process.</summary>
    internal static ulong SampleHash(ReadOnlySpan<byte> requestId)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in requestId)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        // FNV's low bits mix poorly on short ids; a final avalanche (splitmix64's) spreads them.
        hash ^= hash >> 30;
        hash *= 0xBF58476D1CE4E5B9UL;
        hash ^= hash >> 27;
        hash *= 0x94D049BB133111EBUL;
        return hash ^ (hash >> 31);
    }

    /// <summary>Records with a hash below this are kept: rate × 2^64, with 1 keeping all.</summary>
    private static ulong Threshold(double rate) => rate >= 1 ? ulong.MaxValue : rate <= 0 ? 0 : (ulong)(rate * 18446744073709551616.0);

    private static int Find(ReadOnlySpan<Core.Candidates.Candidate> candidates, OpenRtb.Request.BidRequest request, OpenRtb.Response.ResponseBid bid)
    {
        // The pipeline copies the candidate's own id arrays into the bid: reference equality finds it.
        for (var i = 0; i < candidates.Length; i++)
        {
            ref readonly var c = ref candidates[i];
            if (ReferenceEquals(c.Creative.IdUtf8, bid.Crid) && ReferenceEquals(c.Campaign.IdUtf8, bid.Cid) && request.Imps[c.ImpIndex].Id.Equals(bid.ImpId))
            {
                return i;
            }
        }

        return -1;
    }

    private bool AppendOutcome(EventRecordType type, scoped in OutcomeKeys keys, double priceCpm)
    {
        if (!Enabled)
        {
            return false;
        }

        if (!TryTake(type, out var slot))
        {
            return false;
        }

        var w = new MessagePackWriter(slot);
        EventRecordEncoder.WriteOutcome(ref w, type, keys, _time.GetUtcNow().ToUnixTimeMilliseconds(), priceCpm);
        return Queue(slot);
    }

    private bool TryTake(EventRecordType type, out RecordSlot slot)
    {
        if (_closed || _stopping || !_free.TryDequeue(out var index))
        {
            Interlocked.Increment(ref _dropped[(int)type]);
            slot = null!;
            return false;
        }

        slot = _slots[index];
        slot.Type = type;
        slot.Index = index;
        return true;
    }

    private bool Queue(RecordSlot slot)
    {
        if (slot.Length > RecordSlot.MaxRecordBytes)
        {
            // Only a hostile request has ids this long; its record is not worth 64 KiB per slot.
            Interlocked.Increment(ref _dropped[(int)slot.Type]);
            slot.Shrink();
            _free.TryEnqueue(slot.Index);
            return false;
        }

        // Cannot fail: there are no more slot numbers than cells.
        _filled.TryEnqueue(slot.Index);
        return true;
    }

    private void Run()
    {
        // Between rounds the writer sleeps at most a quarter of the flush interval (≤ 20 ms): no
        // signal from request threads is needed, and the queue is emptied ~50 times a second.
        var sleepMs = Math.Clamp(_options.FlushIntervalMs / 4, 1, 20);
        try
        {
            while (true)
            {
                var stopping = _stopping;
                var written = Pump();
                if (stopping && _filled.Count == 0)
                {
                    break;
                }

                if (written == 0)
                {
                    _wake.Wait(sleepMs);
                }
            }

            _closed = true;
            Pump(forceFlush: true);
            _files!.Dispose();
            _stopped.TrySetResult();
        }
        catch (Exception e)
        {
            _warn?.Invoke($"event log: the writer stopped: {e.Message}");
            _closed = true;
            _stopped.TrySetException(e);
        }
    }
}
