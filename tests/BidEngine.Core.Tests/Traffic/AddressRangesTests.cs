using System.Net;
using BidEngine.Core.Traffic;
using CsCheck;

namespace BidEngine.Core.Tests.Traffic;

/// <summary>The data-centre lookup (sorted, merged ranges and a binary search) against a scan of every block.</summary>
public sealed class AddressRangesTests
{
    private static readonly Gen<(uint Start, int Prefix)> V4Block = Gen.Select(Gen.UInt, Gen.Int[8, 32]);
    private static readonly Gen<(UInt128 Start, int Prefix)> V6Block = Gen.Select(Gen.UInt[0, 15], Gen.ULong, Gen.Int[16, 128]).Select((top, low, prefix) => (((UInt128)(0x20010db8u + top) << 96) | low, prefix));

    private static bool InV4(uint address, (uint Start, int Prefix) block)
    {
        var mask = block.Prefix == 0 ? 0u : uint.MaxValue << (32 - block.Prefix);
        return (address & mask) == (block.Start & mask);
    }

    private static bool InV6(UInt128 address, (UInt128 Start, int Prefix) block)
    {
        var mask = block.Prefix == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - block.Prefix);
        return (address & mask) == (block.Start & mask);
    }

    private static string V4Text(uint a) => new IPAddress(BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(a))).ToString();

    private static string V6Text(UInt128 a)
    {
        var bytes = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, a);
        return new IPAddress(bytes).ToString();
    }

    [Fact]
    public void AnIpv4AddressIsInTheRangesExactlyWhenABlockHoldsIt() =>
        Gen.Select(V4Block.Array[0, 60], Gen.UInt.Array[50]).Sample((blocks, probes) =>
        {
            var ranges = AddressRanges.Of(blocks.Select(b => $"{V4Text(b.Start)}/{b.Prefix}"));

            // Probes at random, and at each block's edges, where an off-by-one would show.
            var edges = blocks.SelectMany(b =>
            {
                var mask = b.Prefix == 0 ? 0u : uint.MaxValue << (32 - b.Prefix);
                var start = b.Start & mask;
                var end = start | ~mask;
                return new[] { start, end, start - 1, end + 1 };
            });
            foreach (var address in probes.Concat(edges))
            {
                Assert.Equal(blocks.Any(b => InV4(address, b)), ranges.ContainsV4(address));
            }
        });

    [Fact]
    public void AnIpv6AddressIsInTheRangesExactlyWhenABlockHoldsIt() =>
        Gen.Select(V6Block.Array[0, 60], Gen.ULong.Array[50]).Sample((blocks, lows) =>
        {
            var ranges = AddressRanges.Of(blocks.Select(b => $"{V6Text(b.Start)}/{b.Prefix}"));
            var probes = lows.Select((low, i) => ((UInt128)(0x20010db8u + (uint)(i % 16)) << 96) | low);
            var edges = blocks.SelectMany(b =>
            {
                var mask = UInt128.MaxValue << (128 - b.Prefix);
                var start = b.Start & mask;
                var end = start | ~mask;
                return new[] { start, end, start - 1, end + 1 };
            });
            foreach (var address in probes.Concat(edges))
            {
                Assert.Equal(blocks.Any(b => InV6(address, b)), ranges.ContainsV6(address));
            }
        });

    [Fact]
    public void ReadsTheFixtureAndTheShippedSampleWithCommentsNamesAndSingleAddresses()
    {
        var ranges = AddressRanges.Load(TrafficFixtures.DataCentres);
        Assert.Equal(5, ranges.Blocks);
        Assert.True(ranges.ContainsV4(0xC6336401)); // 198.51.100.1
        Assert.True(ranges.ContainsV4(0xCB0071FF)); // 203.0.113.255
        Assert.False(ranges.ContainsV4(0xCB007109)); // 203.0.113.9: below the /25
        Assert.True(ranges.ContainsV4(0xC000024D)); // 192.0.2.77
        Assert.False(ranges.ContainsV4(0xC000024E));
        Assert.True(IpText.TryParseV6("2001:db8:dcff:1::1"u8, out var inside) && ranges.ContainsV6(inside));
        Assert.True(IpText.TryParseV6("2001:db8:beef::5"u8, out var single) && ranges.ContainsV6(single));
        Assert.True(IpText.TryParseV6("2001:db8:beef::6"u8, out var beside) && !ranges.ContainsV6(beside));

        var sample = Path.Combine(Path.GetDirectoryName(TrafficFixtures.BotList)!, "datacentres.sample.txt");
        Assert.Equal(3, AddressRanges.Load(sample).Blocks);
    }

    [Fact]
    public void ALineThatIsNoBlockRefusesTheFileNamingTheLine()
    {
        var error = Assert.Throws<InvalidDataException>(() => AddressRanges.Parse(new StringReader("# list\n10.0.0.0/8\n10.0.0.0/33\n"), "dc.txt"));
        Assert.Contains("dc.txt: line 3", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => AddressRanges.Of(["example.com"]));
    }

    [Fact]
    public void OverlappingAndNeighbouringBlocksMergeIntoOneRange()
    {
        var ranges = AddressRanges.Of(["10.0.0.0/24", "10.0.1.0/24", "10.0.0.128/25", "0.0.0.0/0", "::/0"]);
        Assert.Equal(1, ranges.V4Ranges);
        Assert.Equal(1, ranges.V6Ranges);
        Assert.True(ranges.ContainsV4(uint.MaxValue) && ranges.ContainsV6(UInt128.MaxValue));
    }
}
