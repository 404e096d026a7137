using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;

namespace BidEngine.Core.Notices;

/// <summary>
/// The token every notice URL carries (<see cref="NoticeUrls"/>): what the bidder knew when it made
/// the bid, signed, so that a notice can be believed without any state kept per bid. Binary, then
/// base64url without padding. Layout, version 2 (integers little-endian):
/// <code>
/// offset size  field
///  0      1    version (2)
///  1      1    key id (NoticeSigner: first byte of the key's SHA-256)
///  2      1    kind (NoticeKind: a win token is no billing token, and a click token from a page is neither)
///  3      1    flags (bit 0: first-price auction; bit 1: the CTR came from the model, not the heuristic)
///  4      4    issue time, Unix seconds (unsigned)
///  8      8    bid id (= reservation id)
/// 16      8    user key (0: none)
/// 24      8    placement bucket key
/// 32      8    bid price, CPM, IEEE double
/// 40      8    expected value before shading, CPM, IEEE double
/// 48      3    currency code, ASCII
/// 51    1+n ×4 request id, imp id, campaign id, creative id: a length byte, then UTF-8
///  …    1+n    exchange name: a length byte (at most 32), then ASCII; empty for the bidder-wide /openrtb2/bid
///  end   16    HMAC-SHA256 of everything before it, first 16 bytes
/// </code>
/// The exchange is signed in so that a notice is judged by the profile of the exchange the bid was
/// made for (which notice bills, how its price is encoded, its price keys), never by anything the
/// notice's sender chooses. Version 1 (no exchange) is refused: its tokens predate this process.
/// A typical token (36-character request id, short imp, campaign and creative ids, an 8-letter
/// exchange) is ~120 bytes, ~160 characters. Ids longer than <see cref="MaxIdBytes"/> cannot be
/// carried: the pipeline does not bid on such requests while notices are on (<see cref="NoticeUrls.CanCarry(OpenRtb.Request.BidRequest)"/>).
/// </summary>
public static class NoticeToken
{
    public const byte Version = 2;

    /// <summary>Longest id a token carries, in UTF-8 bytes.</summary>
    public const int MaxIdBytes = 255;

    /// <summary>Longest exchange name a token carries: a profile's name is at most 32 characters (<see cref="Exchanges.ExchangeProfile.IsValidName"/>).</summary>
    public const int MaxExchangeBytes = 32;

    private const int FixedBytes = 51;

    /// <summary>Longest token, in bytes.</summary>
    public const int MaxBytes = FixedBytes + (4 * (1 + MaxIdBytes)) + 1 + MaxExchangeBytes + NoticeSigner.MacBytes;

    /// <summary>Longest token as text (base64url, no padding).</summary>
    public const int MaxChars = ((MaxBytes * 4) + 2) / 3;

    /// <summary>Shortest token: four empty ids and no exchange.</summary>
    private const int MinBytes = FixedBytes + 5 + NoticeSigner.MacBytes;

    /// <summary>Whether an id fits in a token.</summary>
    public static bool Fits(ReadOnlySpan<byte> id) => id.Length <= MaxIdBytes;

    /// <summary>Writes a signed token (bytes, before base64url) into <paramref name="destination"/> (at least <see cref="MaxBytes"/>); returns its length.</summary>
    public static int Write(
        Span<byte> destination,
        NoticeSigner signer,
        NoticeKind kind,
        bool firstPrice,
        bool modelScored,
        long issuedSeconds,
        long bidId,
        ulong user,
        long bucket,
        double priceCpm,
        double valueCpm,
        ReadOnlySpan<byte> currency,
        ReadOnlySpan<byte> requestId,
        ReadOnlySpan<byte> impId,
        ReadOnlySpan<byte> campaignId,
        ReadOnlySpan<byte> creativeId,
        ReadOnlySpan<byte> exchange)
    {
        if (currency.Length != 3)
        {
            throw new ArgumentException("a currency code has 3 letters", nameof(currency));
        }

        if (exchange.Length > MaxExchangeBytes)
        {
            throw new ArgumentException($"an exchange name in a notice token has at most {MaxExchangeBytes} bytes", nameof(exchange));
        }

        destination[0] = Version;
        destination[1] = signer.CurrentKeyId;
        destination[2] = (byte)kind;
        destination[3] = (byte)((firstPrice ? 1 : 0) | (modelScored ? 2 : 0));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], (uint)issuedSeconds);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], bidId);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], user);
        BinaryPrimitives.WriteInt64LittleEndian(destination[24..], bucket);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[32..], priceCpm);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[40..], valueCpm);
        currency.CopyTo(destination[48..]);
        var at = FixedBytes;
        at = WriteId(destination, at, requestId);
        at = WriteId(destination, at, impId);
        at = WriteId(destination, at, campaignId);
        at = WriteId(destination, at, creativeId);
        at = WriteId(destination, at, exchange);
        signer.Sign(destination[..at], destination.Slice(at, NoticeSigner.MacBytes));
        return at + NoticeSigner.MacBytes;
    }

    /// <summary>
    /// Decodes <paramref name="text"/> into <paramref name="buffer"/> (at least <see cref="MaxBytes"/>),
    /// verifies its signature and that it is a token for <paramref name="kind"/>, and reads it.
    /// The claims point into <paramref name="buffer"/>. Nothing is allocated.
    /// </summary>
    public static TokenCheck TryRead(ReadOnlySpan<char> text, NoticeKind kind, NoticeSigner signer, Span<byte> buffer, out NoticeClaims claims)
    {
        var check = TryRead(text, signer, buffer, out claims);
        if (check == TokenCheck.Valid && claims.Kind != kind)
        {
            claims = default;
            return TokenCheck.Bad;
        }

        return check;
    }

    /// <summary>
    /// As <see cref="TryRead(ReadOnlySpan{char}, NoticeKind, NoticeSigner, Span{byte}, out NoticeClaims)"/>,
    /// for a token of any kind: the caller checks <see cref="NoticeClaims.Kind"/> (a win notice takes
    /// a win token or, from an exchange that bills on <c>nurl</c>, a billing win token).
    /// </summary>
    public static TokenCheck TryRead(ReadOnlySpan<char> text, NoticeSigner signer, Span<byte> buffer, out NoticeClaims claims)
    {
        claims = default;
        if (text.Length > MaxChars
            || Base64Url.DecodeFromChars(text, buffer, out var consumed, out var length) != OperationStatus.Done
            || consumed != text.Length
            || length < MinBytes)
        {
            return TokenCheck.Bad;
        }

        var token = buffer[..length];
        var signed = token[..^NoticeSigner.MacBytes];
        switch (signer.Verify(token[1], signed, token[^NoticeSigner.MacBytes..]))
        {
            case KeyCheck.UnknownKey:
                return TokenCheck.UnknownKey;
            case KeyCheck.BadSignature:
                return TokenCheck.Bad;
        }

        // Signed by us: the layout holds unless a key was shared with something else. Checked anyway.
        var at = FixedBytes;
        var kind = (NoticeKind)token[2];
        if (token[0] != Version || kind is < NoticeKind.Impression or > NoticeKind.BillingWin
            || !ReadId(signed, ref at, out var requestId) || !ReadId(signed, ref at, out var impId)
            || !ReadId(signed, ref at, out var campaignId) || !ReadId(signed, ref at, out var creativeId)
            || !ReadId(signed, ref at, out var exchange) || exchange.Length > MaxExchangeBytes
            || at != signed.Length)
        {
            return TokenCheck.Bad;
        }

        claims = new NoticeClaims
        {
            Kind = kind,
            FirstPrice = (token[3] & 1) != 0,
            ModelScored = (token[3] & 2) != 0,
            IssuedSeconds = BinaryPrimitives.ReadUInt32LittleEndian(token[4..]),
            BidId = BinaryPrimitives.ReadInt64LittleEndian(token[8..]),
            User = BinaryPrimitives.ReadUInt64LittleEndian(token[16..]),
            Bucket = BinaryPrimitives.ReadInt64LittleEndian(token[24..]),
            PriceCpm = BinaryPrimitives.ReadDoubleLittleEndian(token[32..]),
            ValueCpm = BinaryPrimitives.ReadDoubleLittleEndian(token[40..]),
            Currency = token.Slice(48, 3),
            RequestId = requestId,
            ImpId = impId,
            CampaignId = campaignId,
            CreativeId = creativeId,
            Exchange = exchange,
        };
        return TokenCheck.Valid;
    }

    private static int WriteId(Span<byte> destination, int at, ReadOnlySpan<byte> id)
    {
        if (id.Length > MaxIdBytes)
        {
            throw new ArgumentException($"an id in a notice token has at most {MaxIdBytes} bytes");
        }

        destination[at] = (byte)id.Length;
        id.CopyTo(destination[(at + 1)..]);
        return at + 1 + id.Length;
    }

    private static bool ReadId(ReadOnlySpan<byte> token, scoped ref int at, out ReadOnlySpan<byte> id)
    {
        id = default;
        if (at >= token.Length || at + 1 + token[at] > token.Length)
        {
            return false;
        }

        id = token.Slice(at + 1, token[at]);
        at += 1 + token[at];
        return true;
    }
}
