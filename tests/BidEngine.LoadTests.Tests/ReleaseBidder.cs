using BidEngine.LoadTests.Targets;

namespace BidEngine.LoadTests.Tests;

/// <summary>
/// The Release build of src/BidEngine.Server that the smoke run starts: built once per test run (up to date
/// in seconds when the solution was just built), so a test that needs it never skips and never runs a stale dll.
/// </summary>
internal static class ReleaseBidder
{
    private static readonly Lazy<Task<string>> Build = new(() =>
    {
        var root = RepoPaths.FindRoot() ?? throw new InvalidOperationException($"No repository root (BidEngine.sln) above {AppContext.BaseDirectory}.");
        return BidderBuild.BuildAsync(root, CancellationToken.None);
    });

    /// <summary>The bidder's dll; throws with the build's output when it does not build.</summary>
    public static Task<string> DllAsync() => Build.Value;
}
