using System.Text;
using BidEngine.Core.Tests.Events;
using BidEngine.Core.Traffic;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;
using static BidEngine.Tests.Shared.TrafficFixtures;

namespace BidEngine.Core.Tests.Traffic;

/// <summary>
/// The traffic step's allocation budget: parsing and checking a request that passes every check, and
/// one refused by each check, allocate nothing in steady state (every check On, or every one
/// reporting only, with the shipped bot list, the fixture ranges and supply files).
/// </summary>
public sealed class TrafficAllocationTests
{
    /// <summary>Bytes allowed over all measured rounds together. Measured: 0.</summary>
    private const long BudgetBytes = 0;

    private const int Rounds = 500;

    [Theory]
    [InlineData(TrafficMode.On)]
    [InlineData(TrafficMode.ReportOnly)]
    public void ParsingAndCheckingPassingAndRefusedRequestsAllocatesNothing(TrafficMode mode)
    {
        var bodies = TrafficFilterTests.Refusals().Select(row => (string)row[0])
            .Concat([Request(), Request(schain: ResoldChain), Request(device: Device(ip: null, ipv6: "2a00:1450:4001:80b::200e")), Request(app: "\"bundle\":\"com.example.game\",\"publisher\":{\"id\":\"pub-app\"}", schain: null)])
            .Select(Encoding.UTF8.GetBytes)
            .ToArray();
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var filter = TrafficFilterTests.Filter(mode, new TrafficRules { SupplyChain = new Core.Supply.SupplyChainPolicy { RequireChain = true }, MaxRequestsPerIp = 100, MaxRequestsPerUser = 100 }, time);
        var exchange = TrafficFilterTests.ExchangeExample();
        var request = new BidRequest();
        var refused = 0L;

        void Round()
        {
            foreach (var body in bodies)
            {
                request.Reset();
                if (!BidRequestParser.Parse(body, request).IsSuccess)
                {
                    throw new InvalidOperationException("a fixture did not parse");
                }

                refused += (long)filter.Apply(request, exchange).Logged;
            }
        }

        // Warm, then a new second now and then, so the rate sketch's reset is inside the measured rounds.
        Round();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
        {
            if (i % 100 == 0)
            {
                time.Advance(TimeSpan.FromSeconds(1));
            }

            Round();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(refused > 0);
        foreach (var reason in TrafficFilterTests.Refusals().Select(row => (TrafficReason)row[1]).Append(TrafficReason.IpRate))
        {
            Assert.True(filter.Count(reason, mode) > 0, $"{reason} never fired");
        }

        Assert.True(allocated <= BudgetBytes, $"{Rounds} rounds of {bodies.Length} requests allocated {allocated} B");
    }
}
