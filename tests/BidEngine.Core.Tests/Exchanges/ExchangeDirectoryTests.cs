using System.Diagnostics;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Exchanges;
using BidEngine.Core.Time;

namespace BidEngine.Core.Tests.Exchanges;

public sealed class ExchangeDirectoryTests
{
    private static readonly DeadlineOptions Bidder = new() { DefaultTmaxMs = 100, MaxTmaxMs = 500, NetworkReserveMs = 15 };
    private static readonly ManualClock Clock = new(DateTimeOffset.UnixEpoch);

    [Fact]
    public void FallsBackToTheBidderWideSettingsAProfileLeavesUnset()
    {
        var directory = new ExchangeDirectory(
            new Dictionary<string, ExchangeProfile>
            {
                ["prebid"] = new() { DefaultTmaxMs = 1000, MaxTmaxMs = 1000, NetworkReserveMs = 50 },
                ["plain"] = new(),
            },
            Bidder,
            Clock);

        Assert.True(directory.TryGet("prebid", out var prebid));
        Assert.True(directory.TryGet("plain", out var plain));
        Assert.False(directory.TryGet("other", out _));
        Assert.Equal(["plain", "prebid"], directory.All.Select(e => e.Name));
        Assert.Equal((1000, 1000, 50), (prebid.DefaultTmaxMs, prebid.MaxTmaxMs, prebid.NetworkReserveMs));
        Assert.Equal((100, 500, 15), (plain.DefaultTmaxMs, plain.MaxTmaxMs, plain.NetworkReserveMs));
        Assert.Null(plain.SeatUtf8);
    }

    [Fact]
    public void GivesEachExchangeItsOwnDeadline()
    {
        var directory = new ExchangeDirectory(new Dictionary<string, ExchangeProfile> { ["slow"] = new() { DefaultTmaxMs = 1000, MaxTmaxMs = 1000, NetworkReserveMs = 100 } }, Bidder, Clock);
        directory.TryGet("slow", out var slow);
        var deadline = DeadlinePolicy.For(0, 0, slow.DefaultTmaxMs, slow.MaxTmaxMs, slow.NetworkReserveMs);
        Assert.Equal(900 * Stopwatch.Frequency / 1000, deadline.DeadlineTimestamp);
        var bidderWide = new DeadlinePolicy(Bidder).For(0, 0);
        Assert.Equal(85 * Stopwatch.Frequency / 1000, bidderWide.DeadlineTimestamp);
    }

    [Fact]
    public void StartsAnExchangeSwitchedOffInItsProfileDisabled()
    {
        var directory = new ExchangeDirectory(new Dictionary<string, ExchangeProfile> { ["off"] = new() { Disabled = true } }, Bidder, Clock);
        directory.TryGet("off", out var off);
        Assert.Equal(ExchangeHealthState.Disabled, off.Health.State);
        Assert.False(off.Health.Admit());
    }
}
