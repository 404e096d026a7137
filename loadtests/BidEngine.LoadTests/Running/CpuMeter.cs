using System.Diagnostics;

namespace BidEngine.LoadTests.Running;

/// <summary>CPU time of this process (the generator) and of the server child, over a run's wall time.</summary>
public sealed class CpuMeter
{
    private readonly Process? _server;
    private readonly long _wallStart = Stopwatch.GetTimestamp();
    private readonly TimeSpan _selfStart = SelfCpu();
    private readonly TimeSpan? _serverStart;

    public CpuMeter(Process? server)
    {
        _server = server;
        _serverStart = ServerCpu(server);
    }

    public Reading Stop()
    {
        var wall = Stopwatch.GetElapsedTime(_wallStart);
        var self = SelfCpu() - _selfStart;
        TimeSpan? server = _serverStart is { } s0 && ServerCpu(_server) is { } s1 ? s1 - s0 : null;
        return new Reading(wall, self, server);
    }

    private static TimeSpan SelfCpu()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime;
    }

    private static TimeSpan? ServerCpu(Process? server)
    {
        if (server is null)
        {
            return null;
        }

        try
        {
            server.Refresh();
            return server.HasExited ? null : server.TotalProcessorTime;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public readonly record struct Reading(TimeSpan Wall, TimeSpan GeneratorCpu, TimeSpan? ServerCpu);
}
