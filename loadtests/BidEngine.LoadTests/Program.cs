using BidEngine.LoadTests;
using BidEngine.LoadTests.Cli;
using BidEngine.LoadTests.Targets;

if (args.Length > 0 && args[0] == "serve-floor")
{
    return await ServeFloor(args[1..]);
}

if (args.Length > 0 && args[0] is "-h" or "--help")
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

LoadTestOptions options;
try
{
    options = CommandLine.Parse(args);
    if (options.Target is not ("floor" or "floor-inproc" or "self"))
    {
        TargetUri.ParseLoopback(options.Target);
    }
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(CommandLine.Usage);
    return 2;
}

// Every run stops by itself; this is the last guard (and Ctrl+C stops cleanly, killing a started bidder).
using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(30));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

try
{
    var outcome = await LoadTestApp.RunAsync(options, Console.Out, cts.Token);
    return outcome.Passed ? 0 : 1;
}
catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or TimeoutException
    or System.Net.Sockets.SocketException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"load test could not run: {e.Message}");
    return 3;
}

static async Task<int> ServeFloor(string[] args)
{
    var port = 5099;
    var limit = TimeSpan.FromMinutes(10);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        switch (args[i])
        {
            case "--port":
                port = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
                break;
            case "--urls":
                port = new Uri(args[i + 1]).Port;
                break;
            case "--duration":
                limit = CommandLine.ParseDuration("--duration", args[i + 1]);
                break;
            default:
                Console.Error.WriteLine($"serve-floor: unknown option {args[i]}");
                return 2;
        }
    }

    return await FloorServer.ServeAsync(port, limit);
}
