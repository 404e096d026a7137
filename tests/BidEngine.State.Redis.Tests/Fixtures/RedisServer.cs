using System.Diagnostics;

namespace BidEngine.State.Redis.Tests.Fixtures;

/// <summary>Debian's redis-server (7.x), installed with apt-get when missing; no persistence, loopback only.</summary>
public sealed class RedisServer : StoreProcess
{
    protected override async Task InstallAsync()
    {
        if (await RunAsync("which", "redis-server"))
        {
            return;
        }

        if (!await RunAsync("apt-get", "install -y redis-server"))
        {
            await RunAsync("apt-get", "update");
            if (!await RunAsync("apt-get", "install -y redis-server"))
            {
                throw new InvalidOperationException("redis-server is not installed and apt-get could not install it.");
            }
        }
    }

    protected override ProcessStartInfo StartInfo() =>
        new("redis-server", $"--port {Port} --bind 127.0.0.1 --save \"\" --appendonly no")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
}
