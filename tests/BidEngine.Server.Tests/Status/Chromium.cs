using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BidEngine.Server.Tests.Status;

/// <summary>
/// Debian's chromium, headless, driven over the DevTools protocol (a WebSocket, JSON messages): opens a
/// page, evaluates script in it, takes screenshots. Installed with apt-get when missing, as the store's
/// tests install redis-server (CI runs as root on a clean Debian). One browser per test; its profile
/// folder is removed at dispose.
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private readonly StringBuilder _stderr;
    private int _nextId;

    private Chromium(Process process, string profile, ClientWebSocket socket, StringBuilder stderr)
    {
        _process = process;
        _profile = profile;
        _socket = socket;
        _stderr = stderr;
        _reader = Task.Run(ReadAsync);
    }

    /// <summary>The browser's path: <c>chromium</c> on the PATH, installed with apt-get if it is not.</summary>
    public static async Task<string> FindOrInstallAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (Which("chromium") is { } found)
            {
                return found;
            }

            if (!await RunAsync("apt-get", "install -y chromium"))
            {
                await RunAsync("apt-get", "update");
                if (!await RunAsync("apt-get", "install -y chromium"))
                {
                    throw new InvalidOperationException("chromium is not installed and apt-get could not install it (the status page test needs Debian's chromium).");
                }
            }

            return Which("chromium") ?? throw new InvalidOperationException("apt-get installed chromium, but it is not on the PATH.");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>Starts a headless browser with a window of <paramref name="width"/> × <paramref name="height"/> and connects to it.</summary>
    public static async Task<Chromium> StartAsync(int width, int height)
    {
        var path = await FindOrInstallAsync();
        var profile = Path.Combine(Path.GetTempPath(), "bidengine-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--disable-sync", "--hide-scrollbars", "--mute-audio",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", $"--user-data-dir={profile}", $"--window-size={width},{height}", "about:blank"])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();

        // With port 0 the browser picks one and writes it (and the browser target's path) to this file.
        var portFile = Path.Combine(profile, "DevToolsActivePort");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        string[] lines = [];
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            if (File.Exists(portFile))
            {
                lines = (await File.ReadAllLinesAsync(portFile)).Where(l => l.Length > 0).ToArray();
                if (lines.Length >= 2)
                {
                    break;
                }
            }

            await Task.Delay(100);
        }

        if (lines.Length < 2)
        {
            var exited = process.HasExited;
            if (!exited)
            {
                process.Kill(entireProcessTree: true);
            }

            throw new InvalidOperationException($"chromium did not open its DevTools port within 60 s (exited: {exited}): {stderr}");
        }

        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{lines[0]}{lines[1]}"), CancellationToken.None);
        return new Chromium(process, profile, socket, stderr);
    }

    /// <summary>Opens <paramref name="url"/> in a new tab; returns the session that commands to that tab name.</summary>
    public async Task<string> OpenAsync(string url, int width, int height)
    {
        var target = await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" });
        var attached = await SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target.GetProperty("targetId").GetString(), ["flatten"] = true });
        var session = attached.GetProperty("sessionId").GetString()!;
        await SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false }, session);
        await SendAsync("Page.enable", null, session);
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url }, session);
        return session;
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page (awaiting a promise) and returns its value as JSON.</summary>
    public async Task<JsonElement> EvaluateAsync(string session, string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true }, session);
        if (result.TryGetProperty("exceptionDetails", out var exception))
        {
            throw new InvalidOperationException("The page's script threw: " + exception.GetRawText());
        }

        var value = result.GetProperty("result");
        return value.TryGetProperty("value", out var v) ? v : default;
    }

    /// <summary>A PNG of the whole page, however long: the viewport is stretched to the content first.</summary>
    public async Task<byte[]> ScreenshotAsync(string session, int width)
    {
        var height = (await EvaluateAsync(session, "Math.ceil(document.documentElement.scrollHeight)")).GetInt32();
        await SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false }, session);

        // One frame for the charts to redraw at the new size (they follow the window's resize).
        await EvaluateAsync(session, "new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))");
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true }, session);
        return Convert.FromBase64String(shot.GetProperty("data").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                // Asked to close, the browser answers by going away: nothing to wait for but its exit.
                using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                var close = Encoding.UTF8.GetBytes(new JsonObject { ["id"] = Interlocked.Increment(ref _nextId), ["method"] = "Browser.close" }.ToJsonString());
                await _socket.SendAsync(close, WebSocketMessageType.Text, endOfMessage: true, closing.Token);
                await _process.WaitForExitAsync(closing.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or InvalidOperationException)
        {
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _stop.CancelAsync();
        _socket.Dispose();
        try
        {
            await _reader;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }

        _process.Dispose();
        _stop.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // The browser's last writes can race the delete: a temp folder left behind is harmless.
        }
    }

    private async Task<JsonElement> SendAsync(string method, JsonObject? parameters, string? session = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        if (session is not null)
        {
            message["sessionId"] = session;
        }

        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var done = await Task.WhenAny(answer.Task, Task.Delay(TimeSpan.FromSeconds(60)));
        if (done != answer.Task)
        {
            _pending.TryRemove(id, out _);
            throw new TimeoutException($"chromium did not answer {method} within 60 s; its stderr: {Stderr()}");
        }

        return await answer.Task;
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
        {
            var received = await _socket.ReceiveAsync(buffer, _stop.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            message.Write(buffer, 0, received.Count);
            if (!received.EndOfMessage)
            {
                continue;
            }

            using (var document = JsonDocument.Parse(message.ToArray()))
            {
                var root = document.RootElement;
                if (root.TryGetProperty("id", out var id) && _pending.TryRemove(id.GetInt32(), out var answer))
                {
                    if (root.TryGetProperty("error", out var error))
                    {
                        answer.TrySetException(new InvalidOperationException("DevTools error: " + error.GetRawText()));
                    }
                    else
                    {
                        answer.TrySetResult(root.GetProperty("result").Clone());
                    }
                }
            }

            message.SetLength(0);
        }

        foreach (var (_, answer) in _pending)
        {
            answer.TrySetException(new InvalidOperationException("The DevTools connection closed; chromium's stderr: " + Stderr()));
        }
    }

    private string Stderr()
    {
        lock (_stderr)
        {
            return _stderr.ToString();
        }
    }

    private static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);

    private static async Task<bool> RunAsync(string file, string arguments)
    {
        try
        {
            var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            await Task.WhenAll(output, errors);
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
