using BidEngine.Core.Supply;
using BidEngine.Core.Traffic;
using BidEngine.Server.Options;
using Microsoft.Extensions.Options;

namespace BidEngine.Server.Hosting;

/// <summary>
/// Watches the traffic step's files, as <see cref="CampaignReloader"/> watches the campaign file: the
/// bot list and the data-centre list, and the supply folder (sellers.json, ads.txt and app-ads.txt
/// files, subfolders included). A change reloads that group once the files have been quiet a moment
/// and swaps it into the filter whole; a group that does not load is refused with an error in the log,
/// and the filter keeps the lists it had. Files are only ever read from disk: the operator (or a job
/// of theirs) fetches and refreshes them.
/// </summary>
internal sealed class TrafficFilesReloader(TrafficFilter filter, IOptions<BidEngineOptions> options, ILogger<TrafficFilesReloader> logger) : IHostedService, IDisposable
{
    /// <summary>Crawlers write many files in a row; reload once the folder has been quiet this long.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(500);

    private readonly List<FileSystemWatcher> _watchers = [];
    private Timer? _lists;
    private Timer? _supply;
    private long _loaded;
    private long _refused;

    /// <summary>Reloads that swapped new lists in since start.</summary>
    public long Loaded => Interlocked.Read(ref _loaded);

    /// <summary>Reloads refused since start (the lists in use stayed).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Why the last reload was refused; null after a good one.</summary>
    public string? LastRefusal { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var traffic = options.Value.Traffic;
        var supply = options.Value.Supply;
        if (traffic.WatchFiles)
        {
            _lists = new Timer(_ => ReloadLists(), null, Timeout.Infinite, Timeout.Infinite);
            if (traffic.KnownBots != TrafficMode.Off)
            {
                Watch(traffic.KnownBotsPath, _lists);
            }

            if (traffic.DataCentres != TrafficMode.Off)
            {
                Watch(traffic.DataCentresPath, _lists);
            }
        }

        if (supply.WatchFiles && (supply.Sellers != TrafficMode.Off || supply.AdsTxt != TrafficMode.Off))
        {
            _supply = new Timer(_ => ReloadSupply(), null, Timeout.Infinite, Timeout.Infinite);
            Directory.CreateDirectory(supply.Folder);
            var watcher = new FileSystemWatcher(supply.Folder)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.CreationTime,
            };
            Arm(watcher, _supply);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _watchers.Clear();
        _lists?.Dispose();
        _supply?.Dispose();
        _lists = _supply = null;
    }

    /// <summary>The bot list and the address ranges the modes need, into the filter.</summary>
    public static void LoadLists(TrafficFilter filter, TrafficOptions traffic)
    {
        var bots = traffic.KnownBots != TrafficMode.Off ? BotMatcher.Load(traffic.KnownBotsPath) : BotMatcher.Empty;
        var ranges = traffic.DataCentres != TrafficMode.Off ? AddressRanges.Load(traffic.DataCentresPath) : AddressRanges.Empty;
        filter.Bots = bots;
        filter.DataCentres = ranges;
    }

    /// <summary>The sellers.json and ads.txt files the modes need (ads.txt reads sellers' types too), into the filter.</summary>
    public static void LoadSupply(TrafficFilter filter, SupplyOptions supply)
    {
        var sellers = supply.Sellers != TrafficMode.Off || supply.AdsTxt != TrafficMode.Off ? SellersDirectory.Load(supply.SellersFolder) : SellersDirectory.Empty;
        var adsTxt = supply.AdsTxt != TrafficMode.Off ? AdsTxtDirectory.Load(supply.AdsTxtFolder, supply.AppAdsTxtFolder) : AdsTxtDirectory.Empty;
        filter.Sellers = sellers;
        filter.AdsTxt = adsTxt;
    }

    /// <summary>Reloads the bot and address lists now; the watcher calls this, and tests may.</summary>
    internal bool ReloadLists() => Reload("bot and data-centre lists", () => LoadLists(filter, options.Value.Traffic));

    /// <summary>Reloads the supply folder now.</summary>
    internal bool ReloadSupply() => Reload($"supply folder {options.Value.Supply.Folder}", () => LoadSupply(filter, options.Value.Supply));

    private bool Reload(string what, Action load)
    {
        try
        {
            load();
            LastRefusal = null;
            Interlocked.Increment(ref _loaded);
            logger.LogInformation(
                "Traffic files reloaded ({What}): {Bots} bot patterns, {V4} IPv4 and {V6} IPv6 ranges, {Systems} sellers.json files with {Sellers} sellers, {Sites} ads.txt and {Apps} app-ads.txt files",
                what, filter.Bots.Patterns, filter.DataCentres.V4Ranges, filter.DataCentres.V6Ranges, filter.Sellers.Systems, filter.Sellers.Sellers, filter.AdsTxt.Sites, filter.AdsTxt.Apps);
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            LastRefusal = e.Message;
            Interlocked.Increment(ref _refused);
            logger.LogError("Traffic files refused ({What}): {Reason}; still checking with the lists loaded before", what, e.Message);
            return false;
        }
    }

    private void Watch(string path, Timer timer)
    {
        var folder = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder))
        {
            return;
        }

        Arm(new FileSystemWatcher(folder, Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
        }, timer);
    }

    private void Arm(FileSystemWatcher watcher, Timer timer)
    {
        watcher.Changed += (_, _) => timer.Change(Settle, Timeout.InfiniteTimeSpan);
        watcher.Created += (_, _) => timer.Change(Settle, Timeout.InfiniteTimeSpan);
        watcher.Deleted += (_, _) => timer.Change(Settle, Timeout.InfiniteTimeSpan);
        watcher.Renamed += (_, _) => timer.Change(Settle, Timeout.InfiniteTimeSpan);
        watcher.EnableRaisingEvents = true;
        _watchers.Add(watcher);
    }
}
