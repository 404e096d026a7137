using BidEngine.Core.Budgets;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Currency;
using BidEngine.Core.Eligibility;
using BidEngine.Core.Time;
using BidEngine.Training.Campaigns;
using Xunit.Abstractions;

namespace BidEngine.Training.Tests.Campaigns;

/// <summary>
/// What a campaign costs to hold, as the bidder holds a loaded set: the snapshot (campaigns, rules,
/// index) and the ledger's accounts. Measured by walking what they reach (<see cref="RetainedSize"/>),
/// so tests running beside it on other threads do not blur it.
/// </summary>
public sealed class CampaignMemoryTests(ITestOutputHelper output)
{
    private const int Count = 100_000;

    /// <summary>
    /// The goal for a loaded set (campaigns, their rules, the index): at most 1 KB of managed
    /// memory per campaign beyond its creatives' markup. 3.5 KB before the loader shared lists, strings
    /// and UTF-8 arrays and kept markup once, with 2.7 KB more in array-pool buffers that the
    /// whole-file parse left behind.
    /// </summary>
    private const long SetBytesPerCampaign = 1024;

    /// <summary>
    /// The ledger's account per campaign, which a budget needs (nine in ten generated campaigns have
    /// one): 400 B before its stamp queues came with the first stamp.
    /// </summary>
    private const long LedgerBytesPerCampaign = 300;

    /// <summary>
    /// Garbage made while loading, per campaign: the work the GC does before the bidder is ready.
    /// 15.6 KB before (two whole-file parses), 5.7 KB after (one parse of each campaign).
    /// </summary>
    private const long AllocatedPerCampaign = 7 * 1024;

    private static readonly CurrencyTable Currencies = new(new Dictionary<string, double> { ["EUR"] = 1.10, ["GBP"] = 1.30, ["JPY"] = 0.007 });

    [Fact]
    public void AHundredThousandGeneratedCampaignsHoldAtMostAKilobyteEachBeyondTheirMarkup()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var file = CampaignFileGenerator.Generate(Count, seed: 7);
        var generated = watch.Elapsed;

        var before = GC.GetAllocatedBytesForCurrentThread();
        var campaigns = CampaignLoader.Load(new MemoryStream(file, writable: false), "generated");
        var snapshot = new CampaignSnapshot(campaigns, Currencies);
        var ledger = new InProcessBudgetLedger(SystemClock.Instance);
        new CampaignGate(SystemClock.Instance, ledger).Register(snapshot);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var loaded = watch.Elapsed;

        var markup = RetainedSize.Markup(campaigns);
        var markupBytes = RetainedSize.Of(markup).Bytes;
        var set = RetainedSize.Of([snapshot], skip: markup);
        var accounts = RetainedSize.Of([ledger], skip: set.Reached);
        var ledgerBytes = accounts.Bytes;
        output.WriteLine($"generate {generated.TotalSeconds:F1} s, load {(loaded - generated).TotalSeconds:F1} s, walk {(watch.Elapsed - loaded).TotalSeconds:F1} s");
        var report = $"""
            {Count:N0} campaigns: the set holds {set.Bytes / Count} B each beyond {markupBytes / Count} B of markup, the ledger {ledgerBytes / Count} B; loading allocated {allocated / Count} B each
            bytes per campaign by type in the set:
            {set.Top(25, Count)}
            and in the ledger:
            {accounts.Top(8, Count)}
            """;
        output.WriteLine(report);

        Assert.Equal(Count, snapshot.Campaigns.Count);
        Assert.True(set.Bytes <= SetBytesPerCampaign * Count, report);
        Assert.True(ledgerBytes <= LedgerBytesPerCampaign * Count, report);
        Assert.True(allocated <= AllocatedPerCampaign * Count, report);
    }

    [Fact]
    public void TheWalkCountsEachObjectOnceAtItsAllocatedSize()
    {
        var shared = new byte[100];
        var pair = new object[] { shared, shared };

        // 64-bit layouts: header and method table (16), the length (8), then the items, rounded up to 8.
        Assert.Equal(16 + 8 + 104, RetainedSize.Of([shared]).Bytes);
        var tally = RetainedSize.Of([pair, shared]);
        Assert.Equal(2, tally.Objects);
        Assert.Equal(16 + 8 + 16 + 128, tally.Bytes);
        Assert.Equal(1, tally.ByType[typeof(byte[])].Count);
        Assert.Equal(40, RetainedSize.Of([pair], skip: new HashSet<object>([shared])).Bytes);
    }
}
