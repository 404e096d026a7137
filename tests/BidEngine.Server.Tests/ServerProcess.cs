using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BidEngine.Server.Tests;

/// <summary>
/// The bidder as its own process (<c>dotnet BidEngine.Server.dll</c>, built beside the tests), for
/// what only a process shows: where it listens given the environment, and its exit code when it
/// refuses to start. The listen settings of the test's own environment are removed first, so that
/// a test run inside a .NET container image (which sets ASPNETCORE_HTTP_PORTS) checks the same thing.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly string[] ListenVariables =
        ["ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS", "DOTNET_HTTP_PORTS", "DOTNET_HTTPS_PORTS"];

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private const string ManagementSetting = "--BidEngine:Management:Url=";

    private ServerProcess(Process process) => _process = process;

    /// <summary>The management listener: <c>/metrics</c> and the other endpoints for people.</summary>
    public Uri ManagementAddress { get; private init; } = null!;

    /// <summary>Everything the process wrote so far, stdout and stderr interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts the bidder with <paramref name="args"/> and <paramref name="environment"/>. Light:
    /// no model, no warm-up requests, so that it is up in a second or two.
    /// </summary>
    public static ServerProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "BidEngine.Server.dll"));
        // Its own state folder unless the test names one (a folder is locked by one process at a time).
        var given = args.ToArray();
        string[] state = given.Any(a => a.Contains("State:Folder", StringComparison.Ordinal))
            ? []
            : ["--BidEngine:State:Folder=" + Path.Combine(Path.GetTempPath(), "bidengine-test-state", Guid.NewGuid().ToString("N"))];
        // Its own management port unless the test names one (the default, 5001, would clash between
        // processes), and no drain unless the test asks for one (every stop would wait for it).
        var named = given.FirstOrDefault(a => a.StartsWith(ManagementSetting, StringComparison.Ordinal))?[ManagementSetting.Length..];
        var managementUrl = named ?? $"http://127.0.0.1:{FreeLoopbackPort()}";
        string[] management = named is null ? [ManagementSetting + managementUrl] : [];
        string[] drain = given.Any(a => a.Contains("Shutdown:DrainSeconds", StringComparison.Ordinal)) ? [] : ["--BidEngine:Shutdown:DrainSeconds=0"];
        foreach (var arg in (string[])["--BidEngine:UseModel=false", "--BidEngine:Warmup:HttpRequests=0", "--BidEngine:Warmup:SettleSeconds=0", .. state, .. management, .. drain, .. given])
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var name in ListenVariables)
        {
            psi.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        var server = new ServerProcess(Process.Start(psi) ?? throw new InvalidOperationException("dotnet did not start"))
        {
            ManagementAddress = new Uri(managementUrl),
        };
        server._process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    /// <summary>The exit code, once the process has ended by itself within <paramref name="timeout"/>; null if it is still running.</summary>
    public async Task<int?> ExitCodeAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>True once <c>GET /healthz</c> at <paramref name="address"/> answers 200 within <paramref name="timeout"/>.</summary>
    public async Task<bool> AnswersAtAsync(Uri address, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until && !_process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(address, "/healthz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>Waits until the output holds <paramref name="text"/>; false if the process ended or the time ran out first.</summary>
    public async Task<bool> SaysAsync(string text, TimeSpan timeout)
    {
        var until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            if (Output.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            if (_process.HasExited)
            {
                // Let the last lines of output arrive before the final look.
                await _process.WaitForExitAsync();
                return Output.Contains(text, StringComparison.Ordinal);
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>SIGTERM: the orderly stop a deployment sends; the process flushes and exits by itself.</summary>
    public void Terminate() => _ = SendSignal(_process.Id, 15);

    public int Id => _process.Id;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>SIGKILL on Unix: the process gets no chance to flush or stop anything.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
