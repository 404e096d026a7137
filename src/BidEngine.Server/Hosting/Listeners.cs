using BidEngine.Server.Options;

namespace BidEngine.Server.Hosting;

/// <summary>Marks an endpoint served only on the management listener (<c>/metrics</c>, the status page, admin).</summary>
internal sealed class ManagementOnly
{
    public static readonly ManagementOnly Instance = new();
}

/// <summary>Marks an endpoint served only where exchanges connect (bids and notices).</summary>
internal sealed class BidPortOnly
{
    public static readonly BidPortOnly Instance = new();
}

/// <summary>
/// Two listeners on one Kestrel: the bid port(s), from <c>--urls</c>, <c>ASPNETCORE_URLS</c>,
/// <c>ASPNETCORE_HTTP_PORTS</c> or loopback:5000, and the management port from
/// <c>BidEngine:Management:Url</c>. Requests are told apart by the port they arrived on (never by
/// their Host header, which a client writes), after routing: an endpoint marked for the other
/// listener is dropped, and the request ends in a 404 as if the route did not exist.
/// </summary>
internal static class Listeners
{
    private const string DefaultBidUrl = "http://127.0.0.1:5000";
    private const string KestrelEndpoints = "Kestrel:Endpoints";

    /// <summary>Adds the management listener to whatever the deployment listens on; refuses a port clash.</summary>
    public static void Configure(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var management = new ManagementOptions();
        var url = configuration[$"{BidEngineOptions.Section}:{nameof(BidEngineOptions.Management)}:{nameof(ManagementOptions.Url)}"];
        if (url is not null)
        {
            management.Url = url;
        }

        if (management.Port is not { } managementPort)
        {
            // Left to the settings' validation, which names the problem and stops the start.
            return;
        }

        // Kestrel's own endpoint settings (h2c needs them) replace --urls altogether: the management
        // listener joins them as one more endpoint.
        var kestrelEndpoints = configuration.GetSection(KestrelEndpoints).GetChildren().ToList();
        if (kestrelEndpoints.Count > 0)
        {
            foreach (var endpoint in kestrelEndpoints)
            {
                if (Uri.TryCreate(endpoint["Url"], UriKind.Absolute, out var uri) && uri.Port == managementPort)
                {
                    throw Clash($"{KestrelEndpoints}:{endpoint.Key}:Url", endpoint["Url"]!, management.Url);
                }
            }

            configuration.AddInMemoryCollection([new($"{KestrelEndpoints}:BidEngineManagement:Url", management.Url)]);
            return;
        }

        var bidUrls = BidUrls(configuration);
        foreach (var bid in bidUrls)
        {
            if (Uri.TryCreate(bid.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri) && uri.Port == managementPort)
            {
                throw Clash("the bid listener", bid, management.Url);
            }
        }

        builder.WebHost.UseUrls([.. bidUrls, management.Url]);
    }

    /// <summary>After routing: a request keeps its endpoint only on the listener the endpoint is for.</summary>
    public static void UseSplit(WebApplication app, int managementPort)
    {
        app.Use((context, next) =>
        {
            if (context.GetEndpoint() is { } endpoint)
            {
                var onManagement = context.Connection.LocalPort == managementPort;
                var wrongListener = onManagement
                    ? endpoint.Metadata.GetMetadata<BidPortOnly>() is not null
                    : endpoint.Metadata.GetMetadata<ManagementOnly>() is not null;
                if (wrongListener)
                {
                    context.SetEndpoint(null);
                }
            }

            return next(context);
        });
    }

    /// <summary>The bid listener's addresses, as Kestrel would have read them, or loopback:5000.</summary>
    private static string[] BidUrls(IConfiguration configuration)
    {
        static string[] Split(string value) => value.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        if (configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls)
        {
            return Split(urls);
        }

        var ports = new List<string>();
        if (configuration[WebHostDefaults.HttpPortsKey] is { Length: > 0 } http)
        {
            ports.AddRange(Split(http).Select(p => $"http://*:{p}"));
        }

        if (configuration[WebHostDefaults.HttpsPortsKey] is { Length: > 0 } https)
        {
            ports.AddRange(Split(https).Select(p => $"https://*:{p}"));
        }

        return ports.Count > 0 ? [.. ports] : [DefaultBidUrl];
    }

    private static Exception Clash(string what, string bidUrl, string managementUrl) => StartupRefusal.Because(
        $"BidEngine:Management:Url '{managementUrl}' uses the same port as {what} '{bidUrl}': the management listener needs a port of its own "
        + "(set BidEngine:Management:Url, say http://127.0.0.1:5001, or move the bid listener)");
}
