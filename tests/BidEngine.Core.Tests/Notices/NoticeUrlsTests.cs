using System.Text.RegularExpressions;
using BidEngine.Core.Notices;

namespace BidEngine.Core.Tests.Notices;

/// <summary>The notice URLs a bid carries are written and read back by one room: what is written, the notice check accepts, and nothing else.</summary>
public sealed class NoticeUrlsTests
{
    [Theory]
    [InlineData(NoticeKind.Win, "/openrtb2/notice/win", "&p=${AUCTION_PRICE}&cur=${AUCTION_CURRENCY}&mtw=${AUCTION_MIN_TO_WIN}")]
    [InlineData(NoticeKind.Impression, "/openrtb2/notice/imp", "&p=${AUCTION_PRICE}&cur=${AUCTION_CURRENCY}")]
    [InlineData(NoticeKind.Loss, "/openrtb2/notice/loss", "&loss=${AUCTION_LOSS}&mtw=${AUCTION_MIN_TO_WIN}")]
    [InlineData(NoticeKind.Click, "/openrtb2/notice/click", "")]
    public void WritesEachUrlWithItsPathATokenAndTheMacrosThatBelongToIt(NoticeKind kind, string path, string macros)
    {
        var rig = new NoticeRig();
        var url = rig.Url(kind, rig.Bid());

        Assert.Matches($"^{Regex.Escape("https://bidder.example" + path + "?t=")}[A-Za-z0-9_-]+{Regex.Escape(macros)}$", url);
    }

    [Fact]
    public void TheTokenCarriesEverythingTheBidderKnewAndReadsBackAsWritten()
    {
        var rig = new NoticeRig();
        var bid = rig.Bid(price: 2.5, firstPrice: true, value: 3.25, user: 77);
        var token = NoticeRig.Token(rig.Url(NoticeKind.Impression, bid));

        var buffer = new byte[NoticeToken.MaxBytes];
        Assert.Equal(TokenCheck.Valid, NoticeToken.TryRead(token, NoticeKind.Impression, rig.Signer, buffer, out var claims));

        Assert.Equal((bid.Id, 77UL, NoticeRig.Bucket, 2.5, 3.25, true), (claims.BidId, claims.User, claims.Bucket, claims.PriceCpm, claims.ValueCpm, claims.FirstPrice));
        Assert.Equal(rig.Clock.UtcNow.ToUnixTimeSeconds(), claims.IssuedSeconds);
        Assert.Equal(("USD", "req-7", "imp-1", "cmp 1/a", "cr-300"), (NoticeRig.Ascii(claims.Currency), NoticeRig.Ascii(claims.RequestId), NoticeRig.Ascii(claims.ImpId), NoticeRig.Ascii(claims.CampaignId), NoticeRig.Ascii(claims.CreativeId)));
        Assert.True(token.Length < 200, $"{token.Length} characters");
    }

    [Fact]
    public void AChangeToAnyCharacterOfTheTokenIsRefused()
    {
        var rig = new NoticeRig();
        var token = NoticeRig.Token(rig.Url(NoticeKind.Impression, rig.Bid()));
        var buffer = new byte[NoticeToken.MaxBytes];

        for (var i = 0; i < token.Length; i++)
        {
            var altered = token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];
            Assert.NotEqual(TokenCheck.Valid, NoticeToken.TryRead(altered, NoticeKind.Impression, rig.Signer, buffer, out _));
        }

        Assert.Equal(TokenCheck.Bad, NoticeToken.TryRead(token.AsSpan()[..^1], NoticeKind.Impression, rig.Signer, buffer, out _));
        Assert.Equal(TokenCheck.Bad, NoticeToken.TryRead(token + "A", NoticeKind.Impression, rig.Signer, buffer, out _));
        Assert.Equal(TokenCheck.Bad, NoticeToken.TryRead("", NoticeKind.Impression, rig.Signer, buffer, out _));
        Assert.Equal(TokenCheck.Bad, NoticeToken.TryRead(new string('A', NoticeToken.MaxChars + 1), NoticeKind.Impression, rig.Signer, buffer, out _));
    }

    [Theory]
    [InlineData(NoticeKind.Win, NoticeKind.Impression)]
    [InlineData(NoticeKind.Click, NoticeKind.Impression)]
    [InlineData(NoticeKind.Impression, NoticeKind.Loss)]
    [InlineData(NoticeKind.Loss, NoticeKind.Click)]
    public void ATokenMadeForOneKindIsRefusedAsAnother(NoticeKind written, NoticeKind sentAs)
    {
        var rig = new NoticeRig();
        var token = NoticeRig.Token(rig.Url(written, rig.Bid()));

        Assert.Equal(TokenCheck.Bad, NoticeToken.TryRead(token, sentAs, rig.Signer, new byte[NoticeToken.MaxBytes], out _));
    }

    [Fact]
    public void TheCurrentAndThePreviousKeyVerifyAndAnyOtherKeyDoesNot()
    {
        var oldRig = new NoticeRig(key: NoticeRig.Key(1));
        var token = NoticeRig.Token(oldRig.Url(NoticeKind.Impression, oldRig.Bid()));
        var buffer = new byte[NoticeToken.MaxBytes];

        using var rotated = new NoticeSigner(NoticeRig.Key(2), previous: NoticeRig.Key(1));
        using var retired = new NoticeSigner(NoticeRig.Key(2));
        using var sameIdOtherKey = SignerWithKeyIdOf(NoticeRig.Key(1));

        Assert.Equal(TokenCheck.Valid, NoticeToken.TryRead(token, NoticeKind.Impression, rotated, buffer, out _));
        Assert.Equal(TokenCheck.UnknownKey, NoticeToken.TryRead(token, NoticeKind.Impression, retired, buffer, out _));
        Assert.Equal(TokenCheck.Bad, NoticeToken.TryRead(token, NoticeKind.Impression, sameIdOtherKey, buffer, out _));
    }

    [Fact]
    public void ReadsTheQueryAsSpansIgnoringUnknownParametersAndRefusingRepeatedOnes()
    {
        Assert.True(NoticeUrls.TryReadQuery("?t=abc&x=1&p=1.5&cur=USD&loss=102&mtw=0.9&utm=y", out var q, out _));
        Assert.Equal(("abc", "1.5", "USD", "102", "0.9"), (q.Token.ToString(), q.Price.ToString(), q.Currency.ToString(), q.Loss.ToString(), q.MinToWin.ToString()));

        Assert.False(NoticeUrls.TryReadQuery("t=a&p=1&p=2", out _, out var repeated));
        Assert.Equal("p", repeated);
        Assert.False(NoticeUrls.TryReadQuery("t=&t=a", out _, out repeated));
        Assert.Equal("t", repeated);
    }

    [Theory]
    [InlineData("1.25", "1.25")]
    [InlineData("%24%7BAUCTION_PRICE%7D", "${AUCTION_PRICE}")]
    [InlineData("a+b", "a b")]
    [InlineData("%2", null)]
    [InlineData("%zz", null)]
    public void UnescapesPercentEncodedValues(string raw, string? expected)
    {
        Span<char> buffer = stackalloc char[32];
        var length = NoticeUrls.Unescape(raw, buffer);
        Assert.Equal(expected, length < 0 ? null : buffer[..length].ToString());
    }

    /// <summary>A signer whose key differs from <paramref name="key"/> but has the same one-byte id: a signature check, not the id, must refuse it.</summary>
    private static NoticeSigner SignerWithKeyIdOf(byte[] key)
    {
        var id = new NoticeSigner(key).CurrentKeyId;
        for (var i = 1; ; i++)
        {
            var bytes = new byte[32];
            BitConverter.TryWriteBytes(bytes, i);
            var other = new NoticeSigner(bytes);
            if (other.CurrentKeyId == id)
            {
                return other;
            }

            other.Dispose();
        }
    }
}
