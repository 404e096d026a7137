using System.Diagnostics;
using StackExchange.Redis;

namespace BidEngine.State.Redis;

/// <summary>
/// Runs the scripts against the store and turns every way of not reaching it (down, refused, timed
/// out, a script error) into "no answer", so that callers answer Unavailable instead of throwing.
/// The timeout is the connection's (<see cref="RedisStateOptions.OperationTimeout"/>).
/// </summary>
internal sealed class StoreLink
{
    private readonly IDatabase _db;

    public StoreLink(IDatabase db, StoreMetrics metrics, string prefix)
    {
        _db = db;
        Metrics = metrics;
        Prefix = prefix;
    }

    public StoreMetrics Metrics { get; }

    public string Prefix { get; }

    public IDatabase Database => _db;

    /// <summary>One script, waiting at most the operation timeout (notice path). Null: no answer.</summary>
    public RedisResult? Eval(string script, RedisKey[] keys, RedisValue[] args) => Eval(script, keys, args, out _);

    /// <summary>
    /// The same; when there is no answer, <paramref name="mayHaveRun"/> says whether the store may have
    /// run the script all the same (a timeout, or the connection lost with the call in flight), rather
    /// than refused it with an error.
    /// </summary>
    public RedisResult? Eval(string script, RedisKey[] keys, RedisValue[] args, out bool mayHaveRun)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            var result = _db.ScriptEvaluate(script, keys, args);
            Metrics.Succeeded(notice: true, Stopwatch.GetElapsedTime(start));
            mayHaveRun = false;
            return result;
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            Metrics.Failed(notice: true, e is TimeoutException, e.Message);
            mayHaveRun = e is not RedisServerException;
            return null;
        }
    }

    /// <summary>
    /// The same for the background loop, on its own thread. Synchronous on purpose: with the client's
    /// dedicated threads (<c>DedicatedThreads</c>) a sync reply is handed to the waiting thread by the
    /// reader, while an async one still completes through the pool, so a pool held by notices stalled
    /// the loop (<c>PoolStarvationTests</c>). The price: a turn's calls go one after another, one round
    /// trip each, not pipelined.
    /// </summary>
    public RedisResult? EvalInLoop(string script, RedisKey[] keys, RedisValue[] args)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            var result = _db.ScriptEvaluate(script, keys, args);
            Metrics.Succeeded(notice: false, Stopwatch.GetElapsedTime(start));
            return result;
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            Metrics.Failed(notice: false, e is TimeoutException, e.Message);
            return null;
        }
    }

    // RedisTimeoutException is a TimeoutException, not a RedisException.
    private static bool IsStoreFailure(Exception e) => e is RedisException or TimeoutException or ObjectDisposedException;
}
