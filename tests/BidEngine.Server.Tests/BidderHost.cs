using BidEngine.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace BidEngine.Server.Tests;

/// <summary>
/// The real server, wired exactly as Program does, on Kestrel at a free loopback port: tests talk
/// to it over real HTTP.
/// </summary>
public sealed class BidderHost : IAsyncLifetime
{
    private readonly string[] _settings;
    private readonly Action<IServiceCollection>? _services;
    private WebApplication? _app;

    public BidderHost() => _settings = [];

    private BidderHost(string[] settings, Action<IServiceCollection>? services)
    {
        _settings = settings;
        _services = services;
    }

    /// <summary>A host with extra command-line settings, for tests that start their own.</summary>
    public static BidderHost With(params string[] settings) => new(settings, null);

    /// <summary>A host whose services a test replaces after the real wiring (the test-only seam, e.g. a slow scorer).</summary>
    public static BidderHost With(Action<IServiceCollection> services, params string[] settings) => new(settings, services);

    /// <summary>Starts a host with these settings and expects the start to be refused; returns the refusal.</summary>
    public static async Task<Microsoft.Extensions.Options.OptionsValidationException> StartFailsAsync(params string[] settings)
    {
        var host = With(settings);
        try
        {
            return await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(host.InitializeAsync);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>This host's own state folder (each host locks its own), removed at dispose unless a setting named another.</summary>
    public string StateFolder { get; } = Path.Combine(Path.GetTempPath(), "bidengine-test-state", Guid.NewGuid().ToString("N"));

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Where <see cref="Management"/> points: a free loopback port picked for this host.</summary>
    public Uri ManagementAddress { get; } = new($"http://127.0.0.1:{ServerProcess.FreeLoopbackPort()}");

    /// <summary>The listener for people and tools: <c>/metrics</c>, the status page, admin endpoints.</summary>
    public HttpClient Management { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public async Task InitializeAsync()
    {
        // The test process shares one thread pool between xunit, the clients and several hosts; with
        // the default minimum (one thread per core) a burst of blocked test threads starves it, and
        // the pool adds threads only every half second or so. Measured: deadline tests failed about
        // one run in three on a loaded 2-core machine without this, none in several runs with it.
        ThreadPool.SetMinThreads(32, 32);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // Tests run in parallel on a busy machine, where the thread pool's queueing delay says more
            // about the test run than about the bidder: it is not counted (so nothing sheds on it either).
            // A short warm-up: many hosts start at once here, and a full one (thousands of requests until
            // the JIT goes quiet) in each would starve the other test assemblies running beside them.
            // A small replay window: the default (about 36 MB, allocated at start) in every host adds up.
            // Its own management port (the default would clash between hosts) and no drain at stop.
            Args = ["--urls", "http://127.0.0.1:0", "--BidEngine:Management:Url=" + ManagementAddress, "--BidEngine:Shutdown:DrainSeconds=0", "--BidEngine:Deadline:CountQueueDelay=false",
                "--BidEngine:Warmup:HttpRequests=200", "--BidEngine:Warmup:SettleSeconds=0", "--BidEngine:Notices:ReplayWindowCapacity=65536", "--BidEngine:State:Folder=" + StateFolder, .. _settings],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddBidEngine();
        _services?.Invoke(builder.Services);
        _app = builder.Build();
        _app.MapBidEngine();
        await _app.StartAsync();

        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First(a => new Uri(a).Port != ManagementAddress.Port);
        BaseAddress = new Uri(address);
        Client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None }) { BaseAddress = BaseAddress };
        Management = new HttpClient { BaseAddress = ManagementAddress };

        // Wait for warm-up, as a load balancer would.
        var readiness = _app.Services.GetRequiredService<ReadinessState>();
        for (var i = 0; i < 600 && !readiness.IsReady; i++)
        {
            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        Management?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (Directory.Exists(StateFolder))
        {
            Directory.Delete(StateFolder, recursive: true);
        }
    }
}
