using BidEngine.Core.Notices;
using BidEngine.Core.Operations;

namespace BidEngine.Server.Status;

/// <summary>
/// The status page for people: <c>GET /status</c> (the page), <c>/status/status.css</c> and
/// <c>/status/status.js</c> (its style and script) and <c>GET /status/data</c> (what it shows, as JSON;
/// <c>?since=</c>unix seconds leaves out the older samples). The page asks for its files and data by
/// relative URLs, so it works on whichever listener and address it is mapped on (the management one).
/// None of it touches the bid path: a sampler reads existing counters once a second.
/// </summary>
internal static class StatusEndpoints
{
    /// <summary>The services the page needs: the history and its sampler, the notices' win and loss counts, the data and the files.</summary>
    public static IServiceCollection AddStatusPage(this IServiceCollection services)
    {
        services.AddSingleton<StatusHistory>();
        services.AddSingleton<WinLossCounts>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<StatusSampler>(sp, TimeProvider.System));
        services.AddHostedService(sp => sp.GetRequiredService<StatusSampler>());
        services.AddSingleton<StatusData>();
        services.AddSingleton<StatusAssets>();
        return services;
    }

    public static void Map(IEndpointRouteBuilder routes)
    {
        var data = routes.ServiceProvider.GetRequiredService<StatusData>();
        var assets = routes.ServiceProvider.GetRequiredService<StatusAssets>();
        routes.MapGet("/status", http => assets.WriteAsync(http, "status.html"));
        routes.MapGet("/status/status.css", http => assets.WriteAsync(http, "status.css"));
        routes.MapGet("/status/status.js", http => assets.WriteAsync(http, "status.js"));
        routes.MapGet("/status/data", data.WriteAsync);
    }
}
