using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace BidEngine.State.Redis.Tests.Fixtures;

/// <summary>
/// A Redis-protocol server as a child process on a free loopback port: started by the fixture, paused
/// with SIGSTOP, resumed with SIGCONT, stopped and started again on the same port, killed at the end.
/// </summary>
public abstract class StoreProcess : IAsyncLifetime
{
    private Process? _process;
    private ConnectionMultiplexer? _admin;

    public int Port { get; } = FreePort();

    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>A connection of the test's own, for reading what the nodes wrote.</summary>
    public IDatabase Db => _admin!.GetDatabase();

    protected abstract ProcessStartInfo StartInfo();

    protected virtual Task InstallAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        await InstallAsync();
        await StartAsync();
        _admin = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { Configuration }, AbortOnConnectFail = false, SyncTimeout = 5000 });
    }

    public async Task DisposeAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }

        Kill();
    }

    public async Task StartAsync()
    {
        _process = Process.Start(StartInfo()) ?? throw new InvalidOperationException("The store did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The store exited with {_process.ExitCode}.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException("The store did not listen within 30 s.");
    }

    /// <summary>SIGSTOP: the connection stays open and nothing answers, as a store stuck in a long pause.</summary>
    public void Pause() => Signal("STOP");

    /// <summary>SIGCONT.</summary>
    public void Resume() => Signal("CONT");

    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    protected static async Task<bool> RunAsync(string file, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true });
            if (process is null)
            {
                return false;
            }

            await process.StandardOutput.ReadToEndAsync();
            await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", $"-{signal} {_process!.Id}");
        kill.WaitForExit();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
