using BidEngine.LoadTests;
using BidEngine.LoadTests.Cli;
using BidEngine.LoadTests.Money;
using BidEngine.LoadTests.Targets;

// Every run stops by itself; this is the last guard (and Ctrl+C stops cleanly, killing a started bidder).
using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(30));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

// serve-floor keeps its own limit (--duration, up to 1 h) and Ctrl+C handling.
var commandLine = new CommandLine(RunAsync, (port, limit, _) => FloorServer.ServeAsync(port, limit), MoneyAsync);
return await commandLine.InvokeAsync(args, Console.Out, Console.Error, cts.Token);

static async Task<int> RunAsync(LoadTestOptions options, CancellationToken cancellationToken)
{
    try
    {
        var outcome = await LoadTestApp.RunAsync(options, Console.Out, cancellationToken);
        return outcome.Passed ? 0 : 1;
    }
    catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or TimeoutException
        or System.Net.Sockets.SocketException or UnauthorizedAccessException)
    {
        await Console.Error.WriteLineAsync($"load test could not run: {e.Message}");
        return 3;
    }
}

static async Task<int> MoneyAsync(MoneyOptions options, CancellationToken cancellationToken)
{
    try
    {
        var report = await MoneyRun.RunAsync(options, Console.Out, cancellationToken);
        report.Write(Console.Out);
        if (options.Out is not null)
        {
            MoneyRun.WriteJson(report, options.Out);
        }

        return report.GoalsMet ? 0 : 1;
    }
    catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or TimeoutException
        or HttpRequestException or System.Net.Sockets.SocketException or System.Text.Json.JsonException)
    {
        await Console.Error.WriteLineAsync($"money run could not finish: {e.Message}");
        return 3;
    }
}
