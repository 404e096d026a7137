using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace BidEngine.Server.Tests.Operations;

/// <summary>
/// Debian's <c>prometheus</c> package (the server and <c>promtool</c>), installed with apt-get when
/// missing: <c>promtool</c> runs on the shipped files, and a server runs a configuration on a free
/// loopback port with a storage folder of its own, killed and removed at dispose.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static bool s_installed;

    private readonly Process _process;
    private readonly DirectoryInfo _storage;
    private readonly StringBuilder _output = new();

    private PrometheusServer(Process process, DirectoryInfo storage, Uri address)
    {
        _process = process;
        _storage = storage;
        Api = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
    }

    /// <summary>The server's HTTP API (<c>/api/v1/...</c>).</summary>
    public HttpClient Api { get; }

    /// <summary>What the server logged so far.</summary>
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

    /// <summary>Installs the package once per test run if <c>promtool</c> is not on the path (CI starts from a clean Debian).</summary>
    public static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (s_installed || (await RunAsync("which", ["promtool"])).ExitCode == 0)
            {
                s_installed = true;
                return;
            }

            // Another test assembly may be installing its own package at the same time: wait for dpkg's lock.
            // Without the recommended node exporter and ipmitool, which these tests do not use.
            string[] install = ["-o", "DPkg::Lock::Timeout=300", "install", "-y", "-q", "--no-install-recommends", "prometheus"];
            var result = await RunAsync("apt-get", install);
            if (result.ExitCode != 0)
            {
                await RunAsync("apt-get", ["-o", "DPkg::Lock::Timeout=300", "update", "-q"]);
                result = await RunAsync("apt-get", install);
            }

            Assert.True(result.ExitCode == 0, "promtool is missing and apt-get could not install Debian's prometheus package:\n" + result.Output);
            s_installed = true;
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>Runs <c>promtool</c> with <paramref name="args"/> in <paramref name="folder"/>; its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> PromtoolAsync(string folder, params string[] args)
    {
        await EnsureInstalledAsync();
        return await RunAsync("promtool", args, folder);
    }

    /// <summary>Starts <c>prometheus</c> on <paramref name="folder"/>'s <c>prometheus.yml</c>, listening on a free loopback port; returns once its API answers.</summary>
    public static async Task<PrometheusServer> StartAsync(string folder)
    {
        await EnsureInstalledAsync();
        var storage = Directory.CreateTempSubdirectory("bidengine-prometheus-data-");
        var port = ServerProcess.FreeLoopbackPort();
        var psi = new ProcessStartInfo("prometheus")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        foreach (var arg in (string[])[
            "--config.file=" + Path.Combine(folder, "prometheus.yml"),
            "--storage.tsdb.path=" + storage.FullName,
            $"--web.listen-address=127.0.0.1:{port}"])
        {
            psi.ArgumentList.Add(arg);
        }

        var server = new PrometheusServer(Process.Start(psi) ?? throw new InvalidOperationException("prometheus did not start"), storage, new Uri($"http://127.0.0.1:{port}"));
        server._process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until && !server._process.HasExited)
        {
            try
            {
                using var ready = await server.Api.GetAsync("/-/ready");
                if (ready.IsSuccessStatusCode)
                {
                    return server;
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

        var output = server.Output;
        await server.DisposeAsync();
        throw new Xunit.Sdk.XunitException("prometheus did not turn ready within 30 s:\n" + output);
    }

    /// <summary>GET <paramref name="path"/> of the API; the parsed answer (status "success" asserted, with the body in the message otherwise).</summary>
    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Api.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(body);
        Assert.True(doc.RootElement.GetProperty("status").GetString() == "success", $"GET {path}: {body}");
        return doc.RootElement.GetProperty("data").Clone();
    }

    /// <summary>An instant query; its result vector (or the error, for a query that does not parse or run).</summary>
    public async Task<(bool Ok, JsonElement Result, string Body)> QueryAsync(string query)
    {
        using var response = await Api.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(query));
        var body = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(body);
        var ok = doc.RootElement.GetProperty("status").GetString() == "success";
        return (ok, ok ? doc.RootElement.GetProperty("data").GetProperty("result").Clone() : default, body);
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _storage.Delete(recursive: true);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, string? folder = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder ?? Environment.CurrentDirectory,
        };
        psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout + await stderr);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{file}: {e.Message}");
        }
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
