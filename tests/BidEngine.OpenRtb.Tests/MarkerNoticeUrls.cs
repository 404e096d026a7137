using System.Buffers.Text;
using System.Text.Json;
using BidEngine.OpenRtb.Request;
using BidEngine.OpenRtb.Response;
using BidEngine.OpenRtb.Writing;

namespace BidEngine.OpenRtb.Tests;

/// <summary>
/// Notice URLs of a made-up format (<c>{kind}:{imp id}:{campaign}:{bucket}</c>, kind one of win,
/// billing, loss, click): the writer's tests check where the URLs go and how they are escaped; the
/// real, signed format is the notice room's (Core/Notices) and is tested there. Allocates nothing,
/// like the real one.
/// </summary>
internal sealed class MarkerNoticeUrls : INoticeUrlWriter
{
    public static readonly MarkerNoticeUrls Instance = new();

    public void WriteWinUrl(Utf8JsonWriter writer, BidRequest request, ResponseBid bid) => Write(writer, "win:"u8, request, bid);

    public void WriteBillingUrl(Utf8JsonWriter writer, BidRequest request, ResponseBid bid) => Write(writer, "billing:"u8, request, bid);

    public void WriteLossUrl(Utf8JsonWriter writer, BidRequest request, ResponseBid bid) => Write(writer, "loss:"u8, request, bid);

    public void WriteClickUrl(Utf8JsonWriter writer, BidRequest request, ResponseBid bid) => Write(writer, "click:"u8, request, bid);

    private static void Write(Utf8JsonWriter writer, ReadOnlySpan<byte> kind, BidRequest request, ResponseBid bid)
    {
        writer.WriteStringValueSegment(kind, isFinalSegment: false);
        writer.WriteStringValueSegment(request[bid.ImpId], isFinalSegment: false);
        writer.WriteStringValueSegment(":"u8, isFinalSegment: false);
        writer.WriteStringValueSegment(bid.Cid, isFinalSegment: false);
        writer.WriteStringValueSegment(":"u8, isFinalSegment: false);
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(bid.NoticeBucket, digits, out var length);
        writer.WriteStringValueSegment(digits[..length], isFinalSegment: false);
    }
}
