using BidEngine.Core.Supply;
using BidEngine.Core.Traffic;
using BidEngine.Server.Metrics;
using BidEngine.Server.Options;
using Microsoft.Extensions.Options;

namespace BidEngine.Server.Hosting;

/// <summary>
/// Wires the traffic step: its settings' paths, the <see cref="TrafficFilter"/> the pipeline runs (with
/// its files loaded at start: one that does not load stops the start), the reloader and the metrics.
/// </summary>
internal static class TrafficHosting
{
    public static void AddTrafficChecks(IServiceCollection services)
    {
        // After the host's own PostConfigure: the config folder is a full path by then.
        services.PostConfigure<BidEngineOptions>(o =>
        {
            o.Traffic.KnownBotsPath = ResolveList(o.ConfigFolder, o.Traffic.KnownBotsPath);
            o.Traffic.DataCentresPath = ResolveList(o.ConfigFolder, o.Traffic.DataCentresPath);
            o.Supply.Folder = string.IsNullOrWhiteSpace(o.Supply.Folder) ? o.Supply.Folder : ConfigFolder.Resolve(o.ConfigFolder, o.Supply.Folder);
        });
        services.AddSingleton(sp => Filter(sp.GetRequiredService<IOptions<BidEngineOptions>>().Value));
        services.AddSingleton<TrafficFilesReloader>();
        services.AddHostedService(sp => sp.GetRequiredService<TrafficFilesReloader>());
        services.AddSingleton<TrafficMetrics>();
    }

    /// <summary>
    /// A list's path: relative to the config folder, and when that folder has no such file (an
    /// operator's own config folder, made before the lists shipped), the shipped copy of the default
    /// config folder, so that a folder with only its settings and campaigns still starts.
    /// </summary>
    private static string ResolveList(string folder, string path)
    {
        if (string.IsNullOrWhiteSpace(path) || Path.IsPathRooted(path))
        {
            return path;
        }

        var own = ConfigFolder.Resolve(folder, path);
        var shipped = ConfigFolder.Resolve(ConfigFolder.Find(null, "config", AppContext.BaseDirectory), path);
        return !File.Exists(own) && File.Exists(shipped) ? shipped : own;
    }

    /// <summary>
    /// The filter with the files its checks need. It reports only until the warm-up is done
    /// (<see cref="TrafficFilter.Enforce"/>): the warm-up's own requests must reach the pipeline.
    /// </summary>
    private static TrafficFilter Filter(BidEngineOptions options)
    {
        var filter = new TrafficFilter(Rules(options.Traffic, options.Supply), TimeProvider.System, enforcing: false);
        try
        {
            TrafficFilesReloader.LoadLists(filter, options.Traffic);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw StartupRefusal.Because($"BidEngine:Traffic:KnownBotsPath or DataCentresPath does not load: {e.Message}");
        }

        try
        {
            TrafficFilesReloader.LoadSupply(filter, options.Supply);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw StartupRefusal.Because($"BidEngine:Supply:Folder '{options.Supply.Folder}' does not load: {e.Message}");
        }

        return filter;
    }

    public static TrafficRules Rules(TrafficOptions traffic, SupplyOptions supply) => new()
    {
        [TrafficCheck.MissingUserAgent] = traffic.MissingUserAgent,
        [TrafficCheck.ImpossibleUserAgent] = traffic.ImpossibleUserAgent,
        [TrafficCheck.MissingIp] = traffic.MissingIp,
        [TrafficCheck.ImpossibleIp] = traffic.ImpossibleIp,
        [TrafficCheck.ZeroAdId] = traffic.ZeroAdId,
        [TrafficCheck.DataCentre] = traffic.DataCentres,
        [TrafficCheck.KnownBot] = traffic.KnownBots,
        [TrafficCheck.IpRate] = traffic.IpRate,
        [TrafficCheck.UserRate] = traffic.UserRate,
        [TrafficCheck.SupplyChain] = supply.SupplyChain,
        [TrafficCheck.Sellers] = supply.Sellers,
        [TrafficCheck.AdsTxt] = supply.AdsTxt,
        MaxRequestsPerIp = traffic.MaxRequestsPerIp,
        MaxRequestsPerUser = traffic.MaxRequestsPerUser,
        RateWindowSeconds = traffic.RateWindowSeconds,
        SketchWidth = traffic.RateSketchWidth,
        SketchDepth = traffic.RateSketchDepth,
        SupplyChain = supply.Policy,
        BidWhenSellersFileMissing = supply.WhenSellersFileMissing == MissingFilePolicy.Bid,
        RefuseConfidentialSellers = supply.RefuseConfidentialSellers,
        BidWhenAdsTxtMissing = supply.WhenAdsTxtMissing == MissingFilePolicy.Bid,
    };
}
