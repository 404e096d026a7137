using System.Buffers;
using System.Text;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;

namespace BidEngine.OpenRtb.Tests;

/// <summary>What the traffic checks read: the supply chain's nodes (2.6 and 2.5 forms) and the device's IPv6 address.</summary>
public sealed class SupplyChainParsingTests
{
    private static BidRequest Parse(string json, int segmentSize = 0)
    {
        var request = new BidRequest();
        var bytes = Encoding.UTF8.GetBytes(json);
        var result = segmentSize > 0 ? BidRequestParser.Parse(Segments.Split(bytes, segmentSize), request) : BidRequestParser.Parse(bytes, request);
        Assert.True(result.IsSuccess, result.Message);
        return request;
    }

    private static string Body(string source, string device = "\"ip\":\"203.0.113.9\"") =>
        "{\"id\":\"r\",\"imp\":[{\"id\":\"1\",\"banner\":{\"w\":300,\"h\":250}}],\"device\":{" + device + "},\"source\":{" + source + "}}";

    private static (string? Asi, string? Sid, int Hp)[] Nodes(BidRequest r) =>
        [.. r.Source.Nodes.Select(n => (r.Text.GetString(n.Asi), r.Text.GetString(n.Sid), n.Hp))];

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void ReadsEachNodesSystemSellerAndPaymentFlag(int segmentSize)
    {
        var r = Parse(Body("\"schain\":{\"ver\":\"1.0\",\"complete\":1,\"nodes\":[{\"asi\":\"ssp.example\",\"sid\":\"a\\u002Db\",\"hp\":1,\"rid\":\"x\",\"ext\":{\"nodes\":[1]}},{\"hp\":0,\"sid\":\"s2\",\"asi\":\"exchange.example\"}]}"), segmentSize);
        Assert.True(r.Source.HasSchain && r.Source.SchainComplete);
        Assert.Equal(2, r.Source.SchainNodes);
        Assert.Equal([("ssp.example", "a-b", 1), ("exchange.example", "s2", 0)], Nodes(r));
    }

    [Fact]
    public void ReadsThe25FormAndLetsThe26FormReplaceIt()
    {
        var r25 = Parse(Body("\"ext\":{\"schain\":{\"complete\":0,\"nodes\":[{\"asi\":\"a.example\",\"sid\":\"1\",\"hp\":1}]}}"));
        Assert.False(r25.Source.SchainComplete);
        Assert.Equal([("a.example", "1", 1)], Nodes(r25));

        var both = Parse(Body("\"ext\":{\"schain\":{\"complete\":0,\"nodes\":[{\"asi\":\"a.example\",\"sid\":\"1\",\"hp\":1}]}},\"schain\":{\"complete\":1,\"nodes\":[{\"asi\":\"b.example\",\"sid\":\"2\",\"hp\":1}]}"));
        Assert.True(both.Source.SchainComplete);
        Assert.Equal([("b.example", "2", 1)], Nodes(both));
    }

    [Fact]
    public void KeepsNodesInABadShapeAsEmptyNodesAndAStringChainAsNone()
    {
        var r = Parse(Body("\"schain\":{\"complete\":\"yes\",\"nodes\":[\"x\",{\"asi\":5,\"sid\":null,\"hp\":2},null]}"));
        Assert.True(r.Source.HasSchain);
        Assert.False(r.Source.SchainComplete);
        Assert.Equal(3, r.Source.SchainNodes);
        Assert.Equal([(null, null, -1), (null, null, -1), (null, null, -1)], Nodes(r));

        var text = Parse(Body("\"schain\":\"not an object\""));
        Assert.False(text.Source.HasSchain);
        Assert.Empty(text.Source.Nodes);
    }

    [Fact]
    public void CountsEveryNodeOfALongChainAndKeepsTheFirstSixteen()
    {
        var nodes = string.Join(',', Enumerable.Range(0, 40).Select(i => $"{{\"asi\":\"s{i}.example\",\"sid\":\"{i}\",\"hp\":1}}"));
        var r = Parse(Body("\"schain\":{\"complete\":1,\"nodes\":[" + nodes + "]}"));
        Assert.Equal(40, r.Source.SchainNodes);
        Assert.Equal(Source.MaxKeptNodes, r.Source.Nodes.Count);
        Assert.Equal("s15.example", r.Text.GetString(r.Source.Nodes[^1].Asi));
    }

    [Fact]
    public void ReadsTheDevicesIpv6Address()
    {
        var r = Parse(Body("\"tid\":\"t\"", "\"ip\":\"203.0.113.9\",\"ipv6\":\"2001:db8::7\""));
        Assert.Equal("2001:db8::7", r.Text.GetString(r.Device.Ipv6));
        Assert.Equal("203.0.113.9", r.Text.GetString(r.Device.Ip));
        Assert.False(Parse(Body("\"tid\":\"t\"", "\"ipv6\":7")).Device.Ipv6.HasValue);
    }

    [Fact]
    public void ParsingALongChainAndAnIpv6AddressAllocatesNothingInSteadyState()
    {
        var nodes = string.Join(',', Enumerable.Range(0, 20).Select(i => $"{{\"asi\":\"s{i}.example\",\"sid\":\"seller-{i}\",\"hp\":1}}"));
        var body = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(Body("\"ext\":{\"schain\":{\"complete\":0,\"nodes\":[" + nodes + "]}},\"schain\":{\"complete\":1,\"nodes\":[" + nodes + "]}", "\"ipv6\":\"2001:db8::7\"")));
        var split = Segments.Split(body.ToArray(), 13);
        var request = new BidRequest();
        foreach (var input in new[] { body, split })
        {
            for (var i = 0; i < 10; i++)
            {
                request.Reset();
                BidRequestParser.Parse(input, request);
            }

            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++)
            {
                request.Reset();
                BidRequestParser.Parse(input, request);
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.Equal(Source.MaxKeptNodes, request.Source.Nodes.Count);
        }
    }
}
