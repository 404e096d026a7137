using BidEngine.LoadTests.Cli;
using BidEngine.LoadTests.Targets;
using Xunit;

namespace BidEngine.LoadTests.Tests;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("http://10.0.0.5:5000")]
    [InlineData("http://example.com")]
    [InlineData("https://127.0.0.1:5001")]
    [InlineData("ftp://localhost")]
    public void RefusesTargetsOffThisMachine(string target)
    {
        Assert.Throws<ArgumentException>(() => TargetUri.ParseLoopback(target));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://localhost:5000")]
    [InlineData("http://[::1]:5000")]
    public void AcceptsLoopbackTargets(string target)
    {
        Assert.True(TargetUri.EndPoint(TargetUri.ParseLoopback(target)).Address.Equals(System.Net.IPAddress.Loopback)
            || TargetUri.EndPoint(TargetUri.ParseLoopback(target)).Address.Equals(System.Net.IPAddress.IPv6Loopback));
    }

    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("10s", 10)]
    [InlineData("2m", 120)]
    [InlineData("3", 3)]
    public void ReadsDurations(string text, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), CommandLine.ParseDuration("--duration", text));
    }

    [Fact]
    public void ParsesAScenarioLine()
    {
        var o = CommandLine.Parse(["--target", "http://127.0.0.1:5000", "--scenario", "capacity", "--start-rate", "200", "--step-rate", "100", "--connections", "8", "--compare-floor"]);

        Assert.Equal(("capacity", 200.0, 100.0, 8, true), (o.Scenario, o.StartRate!.Value, o.StepRate!.Value, o.Connections!.Value, o.CompareFloor));
    }

    [Theory]
    [InlineData("--scenario", "soak")]
    [InlineData("--rate", "-1")]
    [InlineData("--duration", "2h")]
    [InlineData("--bogus", "1")]
    public void NamesTheOptionItCannotRead(string option, string value)
    {
        var e = Assert.Throws<ArgumentException>(() => CommandLine.Parse([option, value]));
        Assert.Contains(option, e.Message, StringComparison.Ordinal);
    }
}
