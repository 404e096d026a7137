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
    private WebApplication? _app;

    public BidderHost() => _settings = [];

    /// <summary>A host with extra command-line settings, for tests that start their own.</summary>
    public static BidderHost With(params string[] settings) => new(settings);

    private BidderHost(string[] settings) => _settings = settings;

    public HttpClient Client { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // Tests run in parallel on a busy machine: delay-based shedding stays off unless a test turns it on.
            Args = ["--urls", "http://127.0.0.1:0", "--BidEngine:Deadline:ShedQueueDelayMs=0", .. _settings],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddBidEngine();
        _app = builder.Build();
        _app.MapBidEngine();
        await _app.StartAsync();

        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None }) { BaseAddress = BaseAddress };

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
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
