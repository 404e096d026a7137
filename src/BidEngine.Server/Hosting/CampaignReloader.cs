using BidEngine.Core.Campaigns;
using BidEngine.Core.Currency;
using BidEngine.Server.Options;
using Microsoft.Extensions.Options;

namespace BidEngine.Server.Hosting;

/// <summary>
/// Watches the campaign file and swaps in a new snapshot when it changes, without a restart. A
/// file that does not load (bad JSON, a rule broken) is refused with an error in the log, and the
/// bidder keeps bidding with the campaigns it has.
/// </summary>
internal sealed class CampaignReloader(CampaignStore store, IOptions<BidEngineOptions> options, ILogger<CampaignReloader> logger) : IHostedService, IDisposable
{
    /// <summary>Editors write a file in several steps; reload once it has been quiet this long.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(250);

    private FileSystemWatcher? _watcher;
    private long _refusals;
    private Timer? _debounce;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.ReloadCampaigns)
        {
            return Task.CompletedTask;
        }

        var path = CampaignPath(settings);
        _debounce = new Timer(_ => Reload(path), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => _debounce.Change(Settle, Timeout.InfiniteTimeSpan);
        _watcher.Created += (_, _) => _debounce.Change(Settle, Timeout.InfiniteTimeSpan);
        _watcher.Renamed += (_, _) => _debounce.Change(Settle, Timeout.InfiniteTimeSpan);
        _watcher.EnableRaisingEvents = true;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _debounce?.Dispose();
        _watcher = null;
        _debounce = null;
    }

    /// <summary>The campaign file, a full path by now: the host resolved it against the config folder.</summary>
    internal static string CampaignPath(BidEngineOptions settings) => settings.CampaignsPath;

    /// <summary>Why the last reload was refused (the loader's message, naming campaign and field); null after a good one.</summary>
    public string? LastRefusal { get; private set; }

    /// <summary>Reloads refused since start.</summary>
    public long Refusals => Interlocked.Read(ref _refusals);

    /// <summary>
    /// Reads the campaign file into a new snapshot; <paramref name="previous"/> hands its pacers on, and
    /// its campaigns whose text is unchanged are taken over whole (a reload that changes a few campaigns
    /// of 100,000 makes a few, so it costs little more memory than the set it replaces).
    /// </summary>
    internal static CampaignSnapshot Load(BidEngineOptions settings, CampaignSnapshot? previous = null)
    {
        var campaigns = CampaignLoader.LoadFile(CampaignPath(settings), previous?.Campaigns);
        var currencies = new CurrencyTable(settings.Currency.UsdPerUnit);
        try
        {
            return new CampaignSnapshot(campaigns, currencies, previous);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{CampaignPath(settings)}: {e.Message}", e);
        }
    }

    /// <summary>Loads the file now and swaps it in, or refuses it; the watcher calls this, and tests may.</summary>
    internal bool Reload(string path)
    {
        try
        {
            var next = Load(options.Value, store.Current);
            store.Replace(next);
            LastRefusal = null;
            logger.LogInformation("Campaigns reloaded from {Path}: {Count} campaigns", path, next.Campaigns.Count);
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException or UnauthorizedAccessException)
        {
            LastRefusal = e.Message;
            Interlocked.Increment(ref _refusals);
            logger.LogError("Campaign file {Path} refused: {Reason}; still bidding with the {Count} campaigns loaded before", path, e.Message, store.Current.Campaigns.Count);
            return false;
        }
    }
}
