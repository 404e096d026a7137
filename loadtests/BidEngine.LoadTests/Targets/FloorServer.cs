using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BidEngine.LoadTests.Targets;

/// <summary>
/// The floor: a Kestrel endpoint that reads the whole body and answers 204, nothing else. What it
/// costs is what HTTP on this machine costs; every figure of the bidder can stand beside it.
/// </summary>
public sealed class FloorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FloorServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<FloorServer> StartAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, port);
        });
        builder.Services.AddSingleton<Readiness>();
        var app = builder.Build();
        Map(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var floor = new FloorServer(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
        await WarmUpAsync(floor.Address, cancellationToken);
        app.Services.GetRequiredService<Readiness>().Ready = true;
        return floor;
    }

    /// <summary>
    /// The bidder warms up before /readyz says 200, so the floor does too: without it the floor's
    /// first measured seconds ran on unoptimised code (p99 18 ms at 4k requests/s, against 3-5 ms
    /// after) and a capacity run against it could stop at its first step. At least 5,000 requests
    /// and 1 s, at most 10 s: enough on 2 cores, light enough beside the test suite.
    /// </summary>
    private static async Task WarmUpAsync(Uri address, CancellationToken cancellationToken)
    {
        const int Requests = 5_000;
        var body = """{"id":"warmup","imp":[{"id":"1","banner":{"w":300,"h":250}}],"site":{"id":"s"},"device":{"devicetype":2}}"""u8.ToArray();
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 8 }) { BaseAddress = address };
        var started = System.Diagnostics.Stopwatch.StartNew();
        var sent = 0;
        var workers = Enumerable.Range(0, 8).Select(async _ =>
        {
            while ((Interlocked.Increment(ref sent) <= Requests || started.Elapsed < TimeSpan.FromSeconds(1))
                && started.Elapsed < TimeSpan.FromSeconds(10) && !cancellationToken.IsCancellationRequested)
            {
                using var content = new ByteArrayContent(body);
                using var response = await client.PostAsync("/openrtb2/bid", content, cancellationToken);
            }
        });
        await Task.WhenAll(workers);
    }

    public static void Map(WebApplication app)
    {
        app.MapPost("/openrtb2/bid", static async context =>
        {
            var reader = context.Request.BodyReader;
            while (true)
            {
                var result = await reader.ReadAsync(context.RequestAborted);
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        app.MapGet("/healthz", static context =>
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        });
        app.MapGet("/readyz", static context =>
        {
            // 503 while the floor warms up (a host that maps the floor without the flag is ready at once).
            var ready = context.RequestServices.GetService<Readiness>()?.Ready ?? true;
            context.Response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        });
    }

    /// <summary>Serves the floor until Ctrl+C, SIGTERM or the time limit, for wrk or a second terminal.</summary>
    public static async Task<int> ServeAsync(int port, TimeSpan limit)
    {
        await using var floor = await StartAsync(port);
        Console.WriteLine($"floor listening on {floor.Address} (POST /openrtb2/bid -> 204); stops after {limit.TotalSeconds:F0} s or Ctrl+C");
        using var cts = new CancellationTokenSource(limit);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };

        // `kill` (SIGTERM) stops it too: the host alone would stop Kestrel and leave this waiting.
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM,
            context =>
            {
                context.Cancel = true;
                cts.Cancel();
            });
        try
        {
            await Task.Delay(Timeout.Infinite, cts.Token);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }

    /// <summary>Whether the floor has warmed up.</summary>
    private sealed class Readiness
    {
        public volatile bool Ready;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
