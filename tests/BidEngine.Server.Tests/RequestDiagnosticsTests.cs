using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BidEngine.Server.Tests;

/// <summary>
/// ASP.NET Core's hosting layer starts an Activity and a log scope for every request while its
/// diagnostics logger is enabled at any level; the bidder keeps that logger off unless the settings
/// name it, and a setting that names it wins.
/// </summary>
public sealed class RequestDiagnosticsTests
{
    private const string Category = "Microsoft.AspNetCore.Hosting.Diagnostics";

    [Fact]
    public async Task TheHostingDiagnosticsLoggerIsOffByDefaultSoRequestsGetNoActivityOrScope()
    {
        var probe = new RequestProbe();
        await using var host = BidderHost.With(probe.AddTo);
        await host.InitializeAsync();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        Assert.False(logger.IsEnabled(LogLevel.Critical));

        // The rest of the bidder's logging is untouched.
        Assert.True(host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("BidEngine.Server").IsEnabled(LogLevel.Information));

        var seen = await probe.BidAsync(host);
        Assert.Null(seen.Activity);
        Assert.False(seen.RequestScope, "a request log scope was open around the bid request");
    }

    [Fact]
    public async Task ASettingThatNamesTheCategoryTurnsItBackOn()
    {
        var probe = new RequestProbe();
        await using var host = BidderHost.With(probe.AddTo, $"--Logging:LogLevel:{Category}=Information");
        await host.InitializeAsync();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        Assert.True(logger.IsEnabled(LogLevel.Information));
        Assert.False(logger.IsEnabled(LogLevel.Debug));

        // The probe sees both when they are there: their absence above is the setting's doing.
        var seen = await probe.BidAsync(host);
        Assert.NotNull(seen.Activity);
        Assert.True(seen.RequestScope, "no request log scope around the bid request");
    }

    /// <summary>
    /// The first middleware of the pipeline, looking at what the hosting layer set up for the request
    /// before it: <see cref="Activity.Current"/>, and the log scopes open (read as a logger provider
    /// sees them; the hosting layer's scope is the one that carries RequestId).
    /// </summary>
    private sealed class RequestProbe : ILoggerProvider, ISupportExternalScope, IStartupFilter
    {
        private readonly ConcurrentQueue<(string Path, Activity? Activity, bool RequestScope)> _seen = new();
        private IExternalScopeProvider? _scopes;

        public void AddTo(IServiceCollection services)
        {
            services.AddSingleton<ILoggerProvider>(this);
            services.AddSingleton<IStartupFilter>(this);
        }

        public async Task<(Activity? Activity, bool RequestScope)> BidAsync(BidderHost host)
        {
            _seen.Clear();
            using var answer = await host.Client.SendAsync(BidRequests.Post(BidRequests.Banner));
            Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
            var seen = Assert.Single(_seen, s => s.Path == "/openrtb2/bid");
            return (seen.Activity, seen.RequestScope);
        }

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, inner) =>
            {
                var requestScope = false;
                _scopes?.ForEachScope(
                    (scope, _) => requestScope |= scope is IEnumerable<KeyValuePair<string, object>> fields && fields.Any(f => f.Key == "RequestId"),
                    (object?)null);
                _seen.Enqueue((context.Request.Path.Value ?? "", Activity.Current, requestScope));
                await inner(context);
            });
            next(app);
        };

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public ILogger CreateLogger(string categoryName) => NullLogger.Instance;

        public void Dispose()
        {
        }
    }
}
