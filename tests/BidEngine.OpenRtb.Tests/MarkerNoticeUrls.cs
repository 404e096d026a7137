using System.Buffers.Text;
using System.Text.Json;
using BidEngine.OpenRtb.Response;
using BidEngine.OpenRtb.Writing;

namespace BidEngine.OpenRtb.Tests;

/// <summary>
/// Notice URLs of a made-up format (<c>billing:{campaign}:{bucket}</c>, <c>click:{campaign}:{bucket}</c>):
/// the writer's tests check where the URLs go and how they are escaped; the real format is the
/// notice room's (Core/Notices) and is tested there. Allocates nothing, like the real one.
/// </summary>
internal sealed class MarkerNoticeUrls : INoticeUrlWriter
{
    public static readonly MarkerNoticeUrls Instance = new();

    public void WriteBillingUrl(Utf8JsonWriter writer, ResponseBid bid) => Write(writer, "billing:"u8, bid);

    public void WriteClickUrl(Utf8JsonWriter writer, ResponseBid bid) => Write(writer, "click:"u8, bid);

    private static void Write(Utf8JsonWriter writer, ReadOnlySpan<byte> kind, ResponseBid bid)
    {
        writer.WriteStringValueSegment(kind, isFinalSegment: false);
        writer.WriteStringValueSegment(bid.NoticeCampaign, isFinalSegment: false);
        writer.WriteStringValueSegment(":"u8, isFinalSegment: false);
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(bid.NoticeBucket, digits, out var length);
        writer.WriteStringValueSegment(digits[..length], isFinalSegment: false);
    }
}
