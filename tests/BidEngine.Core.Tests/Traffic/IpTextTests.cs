using System.Net;
using System.Net.Sockets;
using System.Text;
using BidEngine.Core.Traffic;
using CsCheck;

namespace BidEngine.Core.Tests.Traffic;

/// <summary>The allocation-free address reader against <see cref="IPAddress"/>, the slow and simple one.</summary>
public sealed class IpTextTests
{
    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void ReadsEveryIpv4AddressAsIPAddressFormatsIt() =>
        Gen.UInt.Sample(address =>
        {
            var text = new IPAddress(BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(address))).ToString();
            Assert.True(IpText.TryParseV4(Utf8(text), out var read), text);
            Assert.Equal(address, read);
        });

    [Fact]
    public void ReadsEveryIpv6AddressInEveryWayItCanBeWritten() =>
        Gen.Byte.Array[16].Select(Gen.Int[0, 3]).Sample((bytes, style) =>
        {
            // Runs of zero groups make the "::" cases; style picks compressed, full, upper case or an IPv4 tail.
            if (bytes[0] % 3 == 0)
            {
                Array.Clear(bytes, 4, bytes[1] % 12);
            }

            var address = new IPAddress(bytes);
            var expected = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
            var text = style switch
            {
                0 => address.ToString(),
                1 => string.Join(':', Enumerable.Range(0, 8).Select(i => ((bytes[2 * i] << 8) | bytes[(2 * i) + 1]).ToString("x4"))),
                2 => address.ToString().ToUpperInvariant(),
                _ => string.Join(':', Enumerable.Range(0, 6).Select(i => ((bytes[2 * i] << 8) | bytes[(2 * i) + 1]).ToString("x"))) + $":{bytes[12]}.{bytes[13]}.{bytes[14]}.{bytes[15]}",
            };
            Assert.True(IpText.TryParseV6(Utf8(text), out var read), text);
            Assert.Equal(expected, read);
        });

    [Fact]
    public void AgreesWithIPAddressOnMangledText() =>
        Gen.OneOf(Gen.Const("1.2.3.4"), Gen.Const("2001:db8::1"), Gen.Const("::ffff:10.0.0.1"), Gen.Const("fe80::1:2:3:4"), Gen.Const("1:2:3:4:5:6:7:8"))
            .Select(Gen.Int[0, 20], Gen.Char["0123456789abcdef:.%/ g"])
            .Sample((seed, at, c) =>
            {
                var chars = seed.ToCharArray().ToList();
                var i = at % (chars.Count + 1);
                if (at % 2 == 0 && i < chars.Count)
                {
                    chars[i] = c;
                }
                else
                {
                    chars.Insert(i, c);
                }

                var text = new string([.. chars]);
                var ours = IpText.TryParse(Utf8(text), out var v4, out var v6);

                // Where ours reads an address, IPAddress reads the same one; ours is the stricter
                // (no leading zeros, no short IPv4 forms, no zone ids), never the looser.
                if (ours != IpFamily.None)
                {
                    Assert.True(IPAddress.TryParse(text, out var reference), text);
                    var bytes = reference.AddressFamily == AddressFamily.InterNetworkV6 && reference.IsIPv4MappedToIPv6 ? reference.MapToIPv4().GetAddressBytes() : reference.GetAddressBytes();
                    if (ours == IpFamily.V4)
                    {
                        Assert.Equal(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes), v4);
                    }
                    else
                    {
                        Assert.Equal(System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes), v6);
                    }
                }
            });

    [Theory]
    [InlineData("")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("01.2.3.4")]
    [InlineData("1.2.3.4 ")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("1::2::3")]
    [InlineData(":1::2")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("1:2:3:4:5:6:7")]
    [InlineData("12345::1")]
    [InlineData("fe80::1%eth0")]
    [InlineData("::1.2.3")]
    [InlineData("1:2:3:4:5:6:7:1.2.3.4")]
    [InlineData("1:")]
    [InlineData("unknown")]
    public void RefusesTextThatIsNoAddress(string text) => Assert.Equal(IpFamily.None, IpText.TryParse(Utf8(text), out _, out _));

    [Fact]
    public void ReadsAnIpv4MappedIpv6AddressAsIpv4()
    {
        Assert.Equal(IpFamily.V4, IpText.TryParse(Utf8("::ffff:203.0.113.9"), out var v4, out _));
        Assert.Equal(0xCB007109u, v4);
        Assert.Equal(IpFamily.V6, IpText.TryParse(Utf8("::"), out _, out var zero));
        Assert.Equal(UInt128.Zero, zero);
    }
}
