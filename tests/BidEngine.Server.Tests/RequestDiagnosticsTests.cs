using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
        await using var host = BidderHost.With();
        await host.InitializeAsync();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        Assert.False(logger.IsEnabled(LogLevel.Critical));

        // The rest of the bidder's logging is untouched.
        Assert.True(host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("BidEngine.Server").IsEnabled(LogLevel.Information));
        using var answer = await host.Client.SendAsync(BidRequests.Post(BidRequests.Banner));
        Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
    }

    [Fact]
    public async Task ASettingThatNamesTheCategoryTurnsItBackOn()
    {
        await using var host = BidderHost.With($"--Logging:LogLevel:{Category}=Information");
        await host.InitializeAsync();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        Assert.True(logger.IsEnabled(LogLevel.Information));
        Assert.False(logger.IsEnabled(LogLevel.Debug));
    }
}
