using BidEngine.Core.Budgets;
using BidEngine.Core.Campaigns;
using BidEngine.Core.FrequencyCaps;
using BidEngine.Core.Heuristics;
using BidEngine.Core.Notices;
using BidEngine.Core.Pricing;
using BidEngine.Core.Time;
using MessagePack;

namespace BidEngine.Core.State;

/// <summary>
/// The default home of money state: the in-process ledger, replay window, frequency table, outcome
/// counts and shading, made durable by a journal of their changes in a folder (no server to run).
/// On open it takes the folder's lock, restores the newest snapshot, replays the journal after it,
/// takes the next bid-id epoch and from then on every change is appended to the journal.
/// <para>
/// What a crash can lose: with kill -9, the records appended in the last <see cref="StateJournal.FlushInterval"/>
/// before it. Notices wait for their records to be durable before they are answered, so a taken
/// notice (spend, a replay mark, a cap count) is never among them; what can be lost is reservations of
/// bids made in that interval, whose bills then still count (<see cref="SettleOutcome.SettledWithoutReservation"/>)
/// and whose budget was briefly held by nothing: the overspend this adds is at most the prices of
/// the bids of one flush interval, and only after a crash.
/// </para>
/// <para>
/// Records appended while a checkpoint runs can be both in the snapshot and in the new segment, and
/// are applied twice on recovery. Each is harmless twice: ledger changes are by reservation id
/// (a second reserve, settle or release of an id does nothing), marks accumulate, and a cap count or
/// an outcome counted twice over-caps or nudges a prior by one, never the other way.
/// </para>
/// </summary>
public sealed class EmbeddedState : IDurability, IDisposable
{
    private readonly InProcessBudgetLedger _ledger;
    private readonly ReplayWindow _window;
    private readonly FrequencyCapTable _caps;
    private readonly OutcomeCounts _counts;
    private readonly LearnedShading? _shading;
    private readonly Func<CampaignSnapshot> _campaigns;
    private readonly IClock _clock;
    private readonly FileStream _lock;
    private readonly StateJournal _journal;
    private readonly Lock _checkpointLock = new();

    private EmbeddedState(string folder, InProcessBudgetLedger ledger, ReplayWindow window, FrequencyCapTable caps, OutcomeCounts counts, LearnedShading? shading, Func<CampaignSnapshot> campaigns, IClock clock, TimeSpan flushInterval)
    {
        Folder = folder;
        _ledger = ledger;
        _window = window;
        _caps = caps;
        _counts = counts;
        _shading = shading;
        _campaigns = campaigns;
        _clock = clock;
        Directory.CreateDirectory(folder);
        var lockPath = Path.Combine(folder, "state.lock");
        try
        {
            _lock = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"The state folder {folder} is in use by another bidder process (its lock {lockPath} is held). Give each bidder its own BidEngine:State:Folder.", e);
        }

        var started = DateTime.UtcNow;
        var (sequence, epoch) = Recover();
        RecoveryTime = DateTime.UtcNow - started;
        Epoch = BidIds.After(epoch);
        _journal = new StateJournal(folder, sequence, flushInterval);
        _ledger.Journal = _journal;
        _window.Journal = _journal;
        _caps.Journal = _journal;
        _counts.Journal = _journal;
        if (_shading is not null)
        {
            _shading.Journal = _journal;
        }

        _journal.Append(new StateRecord { Kind = StateRecordKind.Start, Amount = Epoch, UtcTicks = clock.UtcNow.UtcTicks });
        _journal.WhenDurableAsync().GetAwaiter().GetResult();
    }

    public string Folder { get; }

    /// <summary>This start's bid-id epoch: one more than any start the folder remembers.</summary>
    public int Epoch { get; }

    public StateJournal Journal => _journal;

    /// <summary>What recovery found: records replayed, whether the last segment ended torn (a crash), the snapshot used.</summary>
    public long RecoveredRecords { get; private set; }

    public bool RecoveredTornTail { get; private set; }

    public long? RecoveredSnapshot { get; private set; }

    public TimeSpan RecoveryTime { get; }

    /// <summary>Opens (and recovers) the state in <paramref name="folder"/>; the campaigns must be loaded (their limits set) first.</summary>
    public static EmbeddedState Open(string folder, InProcessBudgetLedger ledger, ReplayWindow window, FrequencyCapTable caps, OutcomeCounts counts, LearnedShading? shading, Func<CampaignSnapshot> campaigns, IClock clock, TimeSpan flushInterval) =>
        new(folder, ledger, window, caps, counts, shading, campaigns, clock, flushInterval);

    /// <summary>Completes when everything appended so far is on disk: the notice path waits here before answering.</summary>
    public Task WhenDurableAsync() => _journal.WhenDurableAsync();

    /// <summary>Writes a snapshot and drops the journal it covers (every few minutes, and at shutdown, so that a start replays little).</summary>
    public void Checkpoint()
    {
        lock (_checkpointLock)
        {
            _journal.Checkpoint(path => StateSnapshot.Write(path, Epoch, WriteSections));
        }
    }

    /// <summary>Flushes the journal, writes a last snapshot and lets go of the folder (SIGTERM).</summary>
    public void Dispose()
    {
        Checkpoint();
        _journal.Dispose();
        _lock.Dispose();
    }

    private void WriteSections(ref MessagePackWriter writer)
    {
        var now = _clock.UtcNow.ToUnixTimeSeconds();
        writer.WriteArrayHeader(5);
        _ledger.WriteSnapshot(ref writer);
        _window.WriteSnapshot(ref writer, now);
        _caps.WriteSnapshot(ref writer);
        _counts.WriteSnapshot(ref writer);
        if (_shading is null)
        {
            writer.WriteNil();
        }
        else
        {
            _shading.WriteSnapshot(ref writer);
        }
    }

    private void ReadSections(ref MessagePackReader reader)
    {
        var now = _clock.UtcNow.ToUnixTimeSeconds();
        var sections = reader.ReadArrayHeader();
        _ledger.ReadSnapshot(ref reader);
        _window.ReadSnapshot(ref reader, now);
        _caps.ReadSnapshot(ref reader);
        _counts.ReadSnapshot(ref reader);
        if (!reader.TryReadNil())
        {
            if (_shading is null)
            {
                reader.Skip();
            }
            else
            {
                _shading.ReadSnapshot(ref reader, _campaigns());
            }
        }

        for (var i = 5; i < sections; i++)
        {
            reader.Skip();
        }
    }

    /// <summary>Newest snapshot, then every later segment in order. Returns the next segment number and the highest epoch seen.</summary>
    private (long NextSequence, int Epoch) Recover()
    {
        long snapshot = -1;
        var segments = new List<long>();
        foreach (var file in Directory.EnumerateFiles(Folder))
        {
            if (StateSnapshot.TryParse(file, out var s))
            {
                snapshot = Math.Max(snapshot, s);
            }
            else if (StateJournal.TryParseSegment(file, out var j))
            {
                segments.Add(j);
            }
        }

        var epoch = 0;
        if (snapshot >= 0)
        {
            epoch = StateSnapshot.Read(StateSnapshot.PathFor(Folder, snapshot), ReadSections);
            RecoveredSnapshot = snapshot;
        }

        segments.Sort();
        var campaigns = _campaigns();
        var now = _clock.UtcNow.ToUnixTimeSeconds();
        foreach (var segment in segments)
        {
            if (segment < snapshot)
            {
                continue;
            }

            var (records, torn) = StateJournalReader.Read(StateJournal.SegmentPath(Folder, segment), record =>
            {
                if (record.Kind == StateRecordKind.Start)
                {
                    epoch = Math.Max(epoch, (int)record.Amount);
                }
                else
                {
                    Apply(record, campaigns, now);
                }
            });
            RecoveredRecords += records;
            RecoveredTornTail |= torn;
        }

        var next = Math.Max(snapshot, segments.Count == 0 ? 0 : segments[^1]) + 1;
        return (next, epoch);
    }

    private void Apply(in StateRecord r, CampaignSnapshot campaigns, long now)
    {
        switch (r.Kind)
        {
            case StateRecordKind.Reserve:
                _ledger.RestoreReserve(r.CampaignId!, r.BidId, r.Amount, r.UtcTicks);
                break;
            case StateRecordKind.Settle:
                _ledger.RestoreSettle(r.CampaignId!, r.BidId, r.Amount, r.UtcTicks);
                break;
            case StateRecordKind.Release:
                _ledger.RestoreRelease(r.CampaignId!, r.BidId, r.UtcTicks);
                break;
            case StateRecordKind.Mark:
                _window.Restore(r.BidId, (NoticeMarks)r.Amount, r.Extra, now);
                break;
            case StateRecordKind.Unmark:
                _window.Unmark(r.BidId, (NoticeMarks)r.Amount);
                break;
            case StateRecordKind.CapCount:
                _caps.Restore((ulong)r.BidId, (ulong)r.Extra, (int)r.Amount, r.UtcTicks / TimeSpan.TicksPerSecond);
                break;
            case StateRecordKind.Impression:
                _counts.Restore(r.CampaignId!, r.Extra, 1, 0);
                break;
            case StateRecordKind.Click:
                _counts.Restore(r.CampaignId!, r.Extra, 0, 1);
                break;
            case StateRecordKind.ShadingWin when _shading is not null && campaigns.TryGetCampaign(r.CampaignId!, out var won):
                _shading.ObserveWin(won, r.A, r.B, double.IsNaN(r.C) ? null : r.C);
                break;
            case StateRecordKind.ShadingLoss when _shading is not null && campaigns.TryGetCampaign(r.CampaignId!, out var lost):
                _shading.ObserveLoss(lost, r.A, r.B, (int)r.Extra, double.IsNaN(r.C) ? null : r.C);
                break;
        }
    }
}
