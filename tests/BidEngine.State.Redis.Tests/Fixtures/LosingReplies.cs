using System.Reflection;
using StackExchange.Redis;

namespace BidEngine.State.Redis.Tests.Fixtures;

/// <summary>
/// A real store connection whose next script reply is lost: the store runs the script, then the caller
/// gets the timeout it would get if the answer never came back. Everything else passes through.
/// </summary>
public class LosingReplies : DispatchProxy
{
    private IDatabase _inner = null!;
    private int _loseNext;

    public static (IDatabase Database, LosingReplies Control) Wrap(IDatabase inner)
    {
        var database = Create<IDatabase, LosingReplies>();
        var control = (LosingReplies)(object)database;
        control._inner = inner;
        return (database, control);
    }

    /// <summary>The next <c>ScriptEvaluate</c> runs in the store and then times out here.</summary>
    public void LoseNextReply() => Volatile.Write(ref _loseNext, 1);

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        object? result;
        try
        {
            result = targetMethod!.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }

        if (targetMethod.Name == nameof(IDatabase.ScriptEvaluate) && Interlocked.Exchange(ref _loseNext, 0) == 1)
        {
            throw new RedisTimeoutException(CommandFlags.None, "Reply lost (test): the store ran the script.", CommandStatus.Sent);
        }

        return result;
    }
}
