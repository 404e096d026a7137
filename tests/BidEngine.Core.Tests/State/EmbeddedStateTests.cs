using BidEngine.Core.Budgets;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Currency;
using BidEngine.Core.FrequencyCaps;
using BidEngine.Core.Heuristics;
using BidEngine.Core.Notices;
using BidEngine.Core.State;
using BidEngine.Core.Time;

namespace BidEngine.Core.Tests.State;

/// <summary>
/// The embedded state's journal and snapshots on a real folder: what a restart (orderly, or a crash
/// simulated by copying the folder while the first state still holds it) brings back.
/// </summary>
public sealed class EmbeddedStateTests : IDisposable
{
    private static readonly FrequencyCap Cap = new(2, 3600);
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("bidengine-state-tests-");
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _root.Delete(recursive: true);

    private sealed record Parts(InProcessBudgetLedger Ledger, ReplayWindow Window, FrequencyCapTable Caps, OutcomeCounts Counts, EmbeddedState State) : IDisposable
    {
        public void Dispose() => State.Dispose();
    }

    private Parts Open(string folder)
    {
        var ledger = new InProcessBudgetLedger(_clock);
        ledger.SetLimits("c1", new BudgetLimits(Money.FromUnits(1m), null, TimeZoneInfo.Utc));
        var window = new ReplayWindow(1024);
        var caps = new FrequencyCapTable(_clock, new FrequencyCapOptions { Capacity = 1024 });
        var counts = new OutcomeCounts();
        var snapshot = new CampaignSnapshot([], new CurrencyTable(new Dictionary<string, double>()));
        var state = EmbeddedState.Open(folder, ledger, window, caps, counts, null, () => snapshot, _clock, TimeSpan.FromMilliseconds(50));
        return new Parts(ledger, window, caps, counts, state);
    }

    /// <summary>A copy of the folder's files as they are on disk now (without the lock): what a start after a kill -9 finds.</summary>
    private string AsTheDiskHasIt(string folder, string name)
    {
        var copy = Path.Combine(_root.FullName, name);
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.EnumerateFiles(folder).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    private static void Change(Parts p)
    {
        Assert.Equal(ReserveOutcome.Reserved, p.Ledger.Reserve("c1", 11, Money.FromUnits(0.25m)));
        Assert.Equal(ReserveOutcome.Reserved, p.Ledger.Reserve("c1", 12, Money.FromUnits(0.25m)));
        Assert.Equal(ReplayMark.Added, p.Window.TryMark(11, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.Loss, 2_000_000_000, 0, out _));
        Assert.Equal(SettleOutcome.Settled, p.Ledger.Settle("c1", 11, Money.FromUnits(0.1m)));
        p.Caps.Count(7, 99, Cap);
        p.Counts.AddImpression("c1", 5);
    }

    private static void AssertRestored(Parts p)
    {
        Assert.True(p.Ledger.TryRead("c1", out var balance));
        Assert.Equal(Money.FromUnits(0.1m), balance.SpentNanos);
        Assert.Equal(Money.FromUnits(0.25m), balance.ReservedNanos);
        Assert.Equal(ReplayMark.Replayed, p.Window.TryMark(11, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.Loss, 2_000_000_000, 0, out _));
        Assert.Equal(1, p.Caps.CountInWindow(7, 99, Cap));
        Assert.Equal(1, p.Counts.Get("c1", 5).Impressions);
        Assert.Equal(SettleOutcome.AlreadySettled, p.Ledger.Settle("c1", 11, Money.FromUnits(0.1m)));
    }

    [Fact]
    public async Task AfterACrashTheJournalBringsBackEverythingFlushedEvenWithATornTail()
    {
        var folder = Path.Combine(_root.FullName, "a");
        using var first = Open(folder);
        Change(first);
        await first.State.WhenDurableAsync();

        // A crash: the folder as the disk has it now, plus half a frame the process was writing.
        var copy = AsTheDiskHasIt(folder, "crashed");

        var last = Directory.EnumerateFiles(copy, "journal-*.log").Order().Last();
        File.AppendAllText(last, "\u0040\u0000\u0000\u0000garbage");

        using var second = Open(copy);
        Assert.True(second.State.RecoveredTornTail);
        AssertRestored(second);
        Assert.True(second.State.Epoch > first.State.Epoch);
    }

    [Fact]
    public void AfterAnOrderlyStopTheSnapshotBringsBackEverythingAndTheJournalItCoveredIsGone()
    {
        var folder = Path.Combine(_root.FullName, "b");
        int epoch;
        using (var first = Open(folder))
        {
            Change(first);
            epoch = first.State.Epoch;
        }

        Assert.Single(Directory.EnumerateFiles(folder, "snapshot-*.bin"));
        Assert.Single(Directory.EnumerateFiles(folder, "journal-*.log"));
        using var second = Open(folder);
        Assert.NotNull(second.State.RecoveredSnapshot);
        AssertRestored(second);
        Assert.Equal(epoch + 1, second.State.Epoch);
    }

    [Fact]
    public async Task ABillForAReservationLostInTheCrashStillCountsAsSpend()
    {
        var folder = Path.Combine(_root.FullName, "c");
        using var first = Open(folder);
        await first.State.WhenDurableAsync();

        // Reserved after the last flush and never written: the crash loses it.
        var copy = AsTheDiskHasIt(folder, "lost");

        using var second = Open(copy);
        Assert.Equal(SettleOutcome.SettledWithoutReservation, second.Ledger.Settle("c1", 77, Money.FromUnits(0.2m)));
        Assert.Equal(SettleOutcome.AlreadySettled, second.Ledger.Settle("c1", 77, Money.FromUnits(0.2m)));
        Assert.True(second.Ledger.TryRead("c1", out var balance));
        Assert.Equal(Money.FromUnits(0.2m), balance.SpentNanos);
        Assert.Equal(Money.FromUnits(0.2m), balance.LateSpentNanos);
    }

    [Fact]
    public void ASecondStateOnTheSameFolderIsRefusedNamingIt()
    {
        var folder = Path.Combine(_root.FullName, "d");
        using var first = Open(folder);
        var refusal = Assert.Throws<InvalidOperationException>(() => Open(folder));
        Assert.Contains(folder, refusal.Message, StringComparison.Ordinal);
    }
}
