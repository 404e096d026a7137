using System.Buffers.Text;
using System.Text.Json;
using BidEngine.OpenRtb.Response;

namespace BidEngine.OpenRtb.Writing;

/// <summary>
/// Writes a bid's notice URLs (<c>burl</c>, and the click URL inside the markup) as JSON strings
/// made of pieces: the shared prefix, the campaign, <c>&amp;b=</c> and the bucket number, then a
/// constant tail. Each piece is a segment of one JSON string value, so no URL is ever assembled:
/// no buffer to size or rent, nothing allocated, and a long markup is not copied.
/// </summary>
public static class NoticeUrlWriter
{
    /// <summary>Ends every billing notice URL; the exchange puts the clearing price in place of the OpenRTB macro.</summary>
    public static ReadOnlySpan<byte> PriceQuery => "&p=${AUCTION_PRICE}"u8;

    /// <summary>Separates the campaign from the placement bucket in a notice URL.</summary>
    public static ReadOnlySpan<byte> BucketQuery => "&b="u8;

    /// <summary><c>"burl":"{prefix}{campaign}&amp;b={bucket}&amp;p=${AUCTION_PRICE}"</c>; the bid must have a <see cref="ResponseBid.BurlPrefix"/>.</summary>
    public static void WriteBurl(Utf8JsonWriter writer, ResponseBid bid)
    {
        writer.WritePropertyName("burl"u8);
        WriteUrl(writer, bid.BurlPrefix!, bid);
        writer.WriteStringValueSegment(PriceQuery, isFinalSegment: true);
    }

    /// <summary><c>"adm":"..."</c> with the click notice URL between the parts; the bid must have <see cref="ResponseBid.AdmParts"/>.</summary>
    public static void WriteAdm(Utf8JsonWriter writer, ResponseBid bid)
    {
        var parts = bid.AdmParts!;
        writer.WritePropertyName("adm"u8);
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                WriteUrl(writer, bid.ClickUrlPrefix!, bid);
            }

            writer.WriteStringValueSegment(parts[i], isFinalSegment: i == parts.Length - 1);
        }
    }

    private static void WriteUrl(Utf8JsonWriter writer, byte[] prefix, ResponseBid bid)
    {
        writer.WriteStringValueSegment(prefix, isFinalSegment: false);
        writer.WriteStringValueSegment(bid.NoticeCampaign, isFinalSegment: false);
        writer.WriteStringValueSegment(BucketQuery, isFinalSegment: false);
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(bid.NoticeBucket, digits, out var length);
        writer.WriteStringValueSegment(digits[..length], isFinalSegment: false);
    }
}
