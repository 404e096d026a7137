using System.Runtime.CompilerServices;

namespace BidEngine.State.Redis.Tests.Fixtures;

/// <summary>
/// The tests block pool threads on notices (the interfaces are synchronous) while the lease loop and
/// the client's socket reads need pool threads too; with the default minimum (one per core, 2 here)
/// the pool grows by one thread per 0.5 s and the loop stalled for seconds (leases lapsed, timeouts).
/// A bidder host raises the minimum the same way.
/// </summary>
internal static class ThreadPoolWarmup
{
    [ModuleInitializer]
    internal static void RaiseMinimum() => ThreadPool.SetMinThreads(64, 64);
}
