using System.Diagnostics;
using BidEngine.Core.Budgets;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Candidates;
using BidEngine.Core.Currency;
using BidEngine.Core.Eligibility;
using BidEngine.Core.Time;

namespace BidEngine.Training.Campaigns;

/// <summary>
/// Time and memory of loading a campaign file as the bidder does: CampaignLoader (the long-standing
/// fields), CampaignRulesReader (budgets, targeting lists, deals) and the CampaignIndex built from
/// both. Run twice: the second run is a reload, made while the first set is still alive, as the
/// bidder keeps serving the old snapshot until the new one is swapped in.
/// </summary>
public static class CampaignLoadMeasurement
{
    public readonly record struct Result(
        int Campaigns,
        int Entries,
        TimeSpan Load,
        TimeSpan Rules,
        TimeSpan Index,
        TimeSpan Reload,
        TimeSpan ReloadUnchanged,
        long ManagedBytes,
        long LoaderManagedBytes,
        long RulesManagedBytes,
        long RssBeforeBytes,
        long RssAfterBytes,
        long PeakRssBytes,
        Held Bidder);

    /// <summary>
    /// What the bidder holds for the set, walked (<see cref="RetainedSize"/>): the snapshot
    /// (campaigns, rules, index) beyond the creatives' markup, the markup, and the ledger's accounts.
    /// </summary>
    public readonly record struct Held(long SetBytes, long MarkupBytes, long LedgerBytes, string TopTypes);

    public static Result Measure(string path)
    {
        var rssBefore = Rss();
        var managedBefore = GC.GetTotalMemory(forceFullCollection: true);

        var watch = Stopwatch.StartNew();
        var campaigns = CampaignLoader.LoadFile(path);
        var load = watch.Elapsed;
        var loaderManaged = GC.GetTotalMemory(forceFullCollection: true) - managedBefore;
        watch.Restart();
        var rules = ReadRules(path);
        var rulesTime = watch.Elapsed;
        var rulesManaged = GC.GetTotalMemory(forceFullCollection: true) - managedBefore - loaderManaged;
        watch.Restart();
        var index = BuildIndex(campaigns, rules);
        var indexTime = watch.Elapsed;

        var managed = GC.GetTotalMemory(forceFullCollection: true) - managedBefore;
        var rssAfter = Rss();

        watch.Restart();
        var reloaded = BuildIndex(CampaignLoader.LoadFile(path), ReadRules(path));
        var reload = watch.Elapsed;
        var peak = PeakRss();

        // The bidder's reload hands the loader the set it replaces: unchanged campaigns are taken over.
        watch.Restart();
        var takenOver = CampaignLoader.LoadFile(path, campaigns);
        var reloadUnchanged = watch.Elapsed;
        GC.KeepAlive(takenOver);

        GC.KeepAlive(index);
        GC.KeepAlive(reloaded);
        return new Result(index.CampaignCount, index.EntryCount, load, rulesTime, indexTime, reload, reloadUnchanged, managed, loaderManaged, rulesManaged, rssBefore, rssAfter, peak, Walk(campaigns));
    }

    /// <summary>The set as the bidder holds it: a snapshot of the loaded campaigns and their accounts in the in-process ledger.</summary>
    public static Held Walk(IReadOnlyList<Campaign> campaigns)
    {
        var currencies = new CurrencyTable(new Dictionary<string, double> { ["EUR"] = 1.10, ["GBP"] = 1.30, ["JPY"] = 0.007 }); // the generator's currencies
        var snapshot = new CampaignSnapshot(campaigns, currencies);
        var ledger = new InProcessBudgetLedger(SystemClock.Instance);
        new CampaignGate(SystemClock.Instance, ledger).Register(snapshot);
        var markup = RetainedSize.Markup(campaigns);
        var markupBytes = RetainedSize.Of(markup).Bytes;
        var set = RetainedSize.Of([snapshot], skip: markup);
        var accounts = RetainedSize.Of([ledger], skip: set.Reached);
        var per = Math.Max(1, campaigns.Count);
        return new Held(set.Bytes, markupBytes, accounts.Bytes, set.Top(12, per) + "\n  ledger:\n" + accounts.Top(5, per));
    }

    /// <summary>The index the bidder would build from a loaded file.</summary>
    public static CampaignIndex BuildIndex(IReadOnlyList<Campaign> campaigns, IReadOnlyDictionary<string, CampaignRules> rules) =>
        new([.. campaigns.Select(c => new IndexedCampaign(c, rules[c.Id]))]);

    private static IReadOnlyDictionary<string, CampaignRules> ReadRules(string path)
    {
        using var stream = File.OpenRead(path);
        return CampaignRulesReader.ReadFile(stream, path);
    }

    private static long Rss()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static long PeakRss()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
