using System.Buffers.Binary;
using System.Text;
using BidEngine.Core.Notices;

namespace BidEngine.Core.Tests.Notices;

/// <summary>The token's byte layout, version 2, exactly as <see cref="NoticeToken"/>'s comment draws it, read back field by field.</summary>
public sealed class NoticeTokenTests
{
    private static readonly NoticeSigner Signer = new(NoticeRig.Key(0x5A));

    private static byte[] Write(NoticeKind kind, string exchange, string requestId = "req-7", string impId = "imp-1", string campaignId = "cmp-1", string creativeId = "cr-300", bool modelScored = true)
    {
        var buffer = new byte[NoticeToken.MaxBytes];
        var length = NoticeToken.Write(
            buffer, Signer, kind, firstPrice: true, modelScored, issuedSeconds: 1_780_000_000, bidId: 0x0102030405060708, user: 0xFEDCBA9876543210, bucket: -42,
            priceCpm: 2.3456, valueCpm: 3.5, "EUR"u8, Encoding.UTF8.GetBytes(requestId), Encoding.UTF8.GetBytes(impId),
            Encoding.UTF8.GetBytes(campaignId), Encoding.UTF8.GetBytes(creativeId), Encoding.ASCII.GetBytes(exchange));
        return buffer[..length];
    }

    private static string Text(byte[] token) => System.Buffers.Text.Base64Url.EncodeToString(token);

    [Fact]
    public void WritesEveryFieldAtItsDocumentedOffset()
    {
        var token = Write(NoticeKind.BillingWin, "capped");

        Assert.Equal(2, token[0]);
        Assert.Equal(NoticeToken.Version, token[0]);
        Assert.Equal(Signer.CurrentKeyId, token[1]);
        Assert.Equal((byte)NoticeKind.BillingWin, token[2]);
        Assert.Equal(3, token[3]); // first price and scored by the model
        Assert.Equal(1_780_000_000u, BinaryPrimitives.ReadUInt32LittleEndian(token.AsSpan(4)));
        Assert.Equal(0x0102030405060708, BinaryPrimitives.ReadInt64LittleEndian(token.AsSpan(8)));
        Assert.Equal(0xFEDCBA9876543210, BinaryPrimitives.ReadUInt64LittleEndian(token.AsSpan(16)));
        Assert.Equal(-42, BinaryPrimitives.ReadInt64LittleEndian(token.AsSpan(24)));
        Assert.Equal(2.3456, BinaryPrimitives.ReadDoubleLittleEndian(token.AsSpan(32)));
        Assert.Equal(3.5, BinaryPrimitives.ReadDoubleLittleEndian(token.AsSpan(40)));
        Assert.Equal("EUR"u8.ToArray(), token[48..51]);

        // From 51: four ids and then the exchange, each a length byte and its bytes; then the 16-byte MAC.
        var at = 51;
        foreach (var expected in new[] { "req-7", "imp-1", "cmp-1", "cr-300", "capped" })
        {
            Assert.Equal(expected.Length, token[at]);
            Assert.Equal(expected, Encoding.ASCII.GetString(token, at + 1, token[at]));
            at += 1 + token[at];
        }

        Assert.Equal(at + NoticeSigner.MacBytes, token.Length);
        var mac = new byte[NoticeSigner.MacBytes];
        Signer.Sign(token.AsSpan(0, at), mac);
        Assert.Equal(mac, token[at..]);
    }

    [Theory]
    [InlineData(NoticeKind.Win, "capped")]
    [InlineData(NoticeKind.Impression, "prebid")]
    [InlineData(NoticeKind.BillingWin, "abcdefghijklmnopqrstuvwxyz012345")]
    [InlineData(NoticeKind.Loss, "")]
    [InlineData(NoticeKind.Click, "")]
    public void ReadsBackWhatWasWrittenTheExchangeIncluded(NoticeKind kind, string exchange)
    {
        var text = Text(Write(kind, exchange));
        Assert.True(text.Length <= NoticeToken.MaxChars);

        var buffer = new byte[NoticeToken.MaxBytes];
        Assert.Equal(TokenCheck.Valid, NoticeToken.TryRead(text, kind, Signer, buffer, out var claims));

        Assert.Equal(kind, claims.Kind);
        Assert.True(claims.FirstPrice);
        Assert.True(claims.ModelScored);
        Assert.Equal(1_780_000_000, claims.IssuedSeconds);
        Assert.Equal(0x0102030405060708, claims.BidId);
        Assert.Equal(0xFEDCBA9876543210, claims.User);
        Assert.Equal(-42, claims.Bucket);
        Assert.Equal(2.3456, claims.PriceCpm);
        Assert.Equal(3.5, claims.ValueCpm);
        Assert.Equal("EUR", NoticeRig.Ascii(claims.Currency));
        Assert.Equal("req-7", NoticeRig.Ascii(claims.RequestId));
        Assert.Equal("imp-1", NoticeRig.Ascii(claims.ImpId));
        Assert.Equal("cmp-1", NoticeRig.Ascii(claims.CampaignId));
        Assert.Equal("cr-300", NoticeRig.Ascii(claims.CreativeId));
        Assert.Equal(exchange, NoticeRig.Ascii(claims.Exchange));
    }

    [Fact]
    public void AHeuristicBidLeavesTheModelFlagClearAndTheFirstPriceFlagSet()
    {
        var token = Write(NoticeKind.Impression, "", modelScored: false);

        Assert.Equal(1, token[3]);
        Assert.Equal(TokenCheck.Valid, NoticeToken.TryRead(Text(token), NoticeKind.Impression, Signer, new byte[NoticeToken.MaxBytes], out var claims));
        Assert.True(claims.FirstPrice);
        Assert.False(claims.ModelScored);
    }

    [Fact]
    public void TheLongestTokenFitsItsBounds()
    {
        var id = new string('x', NoticeToken.MaxIdBytes);
        var token = Write(NoticeKind.Impression, new string('e', NoticeToken.MaxExchangeBytes), id, id, id, id);

        Assert.Equal(NoticeToken.MaxBytes, token.Length);
        Assert.Equal(NoticeToken.MaxChars, Text(token).Length);
        Assert.Equal(TokenCheck.Valid, NoticeToken.TryRead(Text(token), NoticeKind.Impression, Signer, new byte[NoticeToken.MaxBytes], out _));
        Assert.Throws<ArgumentException>(() => Write(NoticeKind.Impression, new string('e', NoticeToken.MaxExchangeBytes + 1)));
    }

    [Fact]
    public void ANameChangedInTheTokenBreaksItsSignature()
    {
        var token = Write(NoticeKind.BillingWin, "capped");
        var at = token.AsSpan().LastIndexOf("capped"u8);
        "second"u8.CopyTo(token.AsSpan(at));

        Assert.Equal(TokenCheck.Bad, NoticeToken.TryRead(Text(token), Signer, new byte[NoticeToken.MaxBytes], out _));
    }

    [Fact]
    public void RefusesAVersionOneTokenAndAnotherKindsEvenWhenSigned()
    {
        // Version 1 carried no exchange: re-signed with our key, it is still not a token of this layout.
        var token = Write(NoticeKind.Impression, "");
        token[0] = 1;
        Signer.Sign(token.AsSpan(0, token.Length - NoticeSigner.MacBytes), token.AsSpan(token.Length - NoticeSigner.MacBytes));
        var buffer = new byte[NoticeToken.MaxBytes];
        Assert.Equal(TokenCheck.Bad, NoticeToken.TryRead(Text(token), NoticeKind.Impression, Signer, buffer, out _));

        // A billing win token is not a win token, nor a billing one: the win path checks the profile.
        var billingWin = Text(Write(NoticeKind.BillingWin, "capped"));
        Assert.Equal(TokenCheck.Bad, NoticeToken.TryRead(billingWin, NoticeKind.Win, Signer, buffer, out _));
        Assert.Equal(TokenCheck.Bad, NoticeToken.TryRead(billingWin, NoticeKind.Impression, Signer, buffer, out _));
        Assert.Equal(TokenCheck.Valid, NoticeToken.TryRead(billingWin, Signer, buffer, out var claims));
        Assert.Equal(NoticeKind.BillingWin, claims.Kind);
    }
}
