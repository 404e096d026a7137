using System.Text;
using BidEngine.Core.Traffic;

namespace BidEngine.Core.Tests.Traffic;

public sealed class DeviceSignalsTests
{
    [Theory]
    [InlineData("curl/8.5", false)]
    [InlineData("Dalvik/2.1.0 (Linux; U; Android 13)", false)]
    [InlineData("Mozilla", true)]
    [InlineData("null    ", true)]
    [InlineData("  Unknown  ", true)]
    [InlineData("undefined", true)]
    [InlineData("Mozilla/5.0\u0001(X11)", true)]
    [InlineData("Mozilla/5.0 (unknown device)", false)]
    public void AUserAgentNoClientSendsIsImpossible(string ua, bool impossible) =>
        Assert.Equal(impossible, DeviceSignals.IsImpossibleUserAgent(Encoding.UTF8.GetBytes(ua)));

    [Fact]
    public void AUserAgentLongerThanAnyClientsIsImpossible() =>
        Assert.True(DeviceSignals.IsImpossibleUserAgent(Encoding.UTF8.GetBytes("Mozilla/5.0 " + new string('x', BotMatcher.MaxUserAgentBytes))));

    [Theory]
    [InlineData("8.8.8.8", false)]
    [InlineData("203.0.113.9", false)]
    [InlineData("1.2.3.0", false)]
    [InlineData("0.0.0.0", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("169.254.1.1", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.1.1", true)]
    [InlineData("224.0.0.1", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("2a00:1450:4001:80b::200e", false)]
    [InlineData("2001:db8::1", false)]
    [InlineData("::", true)]
    [InlineData("::1", true)]
    [InlineData("fd12:3456::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("ff02::1", true)]
    [InlineData("::10.0.0.1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    public void AnAddressNoDeviceOnTheInternetHasIsImpossible(string text, bool impossible)
    {
        var family = IpText.TryParse(Encoding.ASCII.GetBytes(text), out var v4, out var v6);
        Assert.NotEqual(IpFamily.None, family);
        Assert.Equal(impossible, family == IpFamily.V4 ? DeviceSignals.IsImpossibleV4(v4) : DeviceSignals.IsImpossibleV6(v6));
    }

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000000", true)]
    [InlineData("0000000000000000", true)]
    [InlineData("6D92078A-8246-4BA4-AE5B-76104861E7DC", false)]
    [InlineData("00000000-0000-0000-0000-000000000001", false)]
    [InlineData("", false)]
    [InlineData("----", false)]
    public void AnAdIdOfZerosIsZero(string ifa, bool zero) => Assert.Equal(zero, DeviceSignals.IsZeroAdId(Encoding.ASCII.GetBytes(ifa)));
}
