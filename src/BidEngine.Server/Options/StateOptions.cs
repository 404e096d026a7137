namespace BidEngine.Server.Options;

/// <summary>Where money state lives: a journal in a local folder (the default) or a shared Redis-protocol store. Bound from <c>BidEngine:State</c>.</summary>
public sealed class StateOptions
{
    /// <summary>
    /// The embedded state's folder (journal and snapshots; one bidder process per folder, locked).
    /// Empty: <c>~/.local/share/bidengine/state</c> (the user's local application data). Logged at start.
    /// </summary>
    public string Folder { get; set; } = "";

    /// <summary>
    /// How often the journal reaches the disk when no notice waits: the most a kill -9 can lose, and
    /// only reservations (notices wait for their own flush). 1000 ms by default.
    /// </summary>
    public int FlushIntervalMilliseconds { get; set; } = 1000;

    /// <summary>Seconds between snapshots (each drops the journal it covers, so a start replays at most this long).</summary>
    public int CheckpointSeconds { get; set; } = 300;

    /// <summary>False: money state in memory only, forgotten at exit (benchmarks and tools).</summary>
    public bool Durable { get; set; } = true;

    /// <summary>A StackExchange.Redis configuration string (<c>host:port,...</c>): the node shares state with its fleet through that store instead of a local folder.</summary>
    public string Redis { get; set; } = "";

    /// <summary>
    /// On a fleet's store, the thread pool's minimum (workers and I/O): notices wait on the store on a
    /// pool thread each, and with the default minimum (one a core) a few such waits stalled Kestrel and
    /// timed out store calls on 2 cores. 64 by default; 0 leaves the runtime's minimum.
    /// </summary>
    public int MinThreadsWithStore { get; set; } = 64;

    public string ResolvedFolder() => string.IsNullOrWhiteSpace(Folder)
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "bidengine", "state")
        : Path.GetFullPath(Folder);

    public IEnumerable<string> Validate()
    {
        if (FlushIntervalMilliseconds is < 1 or > 60_000)
        {
            yield return "BidEngine:State:FlushIntervalMilliseconds must be between 1 and 60000";
        }

        if (MinThreadsWithStore is < 0 or > 4096)
        {
            yield return "BidEngine:State:MinThreadsWithStore must be between 0 and 4096";
        }

        if (CheckpointSeconds is < 1 or > 86_400)
        {
            yield return "BidEngine:State:CheckpointSeconds must be between 1 and 86400";
        }
    }
}
