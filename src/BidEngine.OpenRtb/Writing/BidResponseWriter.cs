using System.Buffers.Text;
using System.Text.Json;
using BidEngine.OpenRtb.Request;
using BidEngine.OpenRtb.Response;

namespace BidEngine.OpenRtb.Writing;

/// <summary>
/// Writes an OpenRTB 2.6 BidResponse with a caller-owned, reused <see cref="Utf8JsonWriter"/>
/// (so straight into the response pipe). All names are UTF-8 literals; nothing is allocated.
/// </summary>
public static class BidResponseWriter
{
    public static void Write(Utf8JsonWriter writer, BidRequest request, BidResponse response)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, request[request.Id]);
        writer.WriteStartArray("seatbid"u8);

        // Bids are grouped by seat; a response has a handful of bids, so a scan per seat is cheapest.
        var bids = response.Bids;
        for (var i = 0; i < bids.Count; i++)
        {
            if (SeatSeenBefore(bids, i))
            {
                continue;
            }

            writer.WriteStartObject();
            writer.WriteStartArray("bid"u8);
            for (var j = i; j < bids.Count; j++)
            {
                if (bids[j].Seat.AsSpan().SequenceEqual(bids[i].Seat))
                {
                    WriteBid(writer, request, bids[j]);
                }
            }

            writer.WriteEndArray();
            if (bids[i].Seat.Length > 0)
            {
                writer.WriteString("seat"u8, bids[i].Seat);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("cur"u8, response.Currency);
        writer.WriteEndObject();
    }

    /// <summary>A no-bid with a reason, for exchanges that want a body: <c>{"id":"...","nbr":N}</c>.</summary>
    public static void WriteNoBid(Utf8JsonWriter writer, BidRequest request, int reason)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, request[request.Id]);
        writer.WriteNumber("nbr"u8, reason);
        writer.WriteEndObject();
    }

    private static bool SeatSeenBefore(Text.ReusableList<ResponseBid> bids, int index)
    {
        for (var k = 0; k < index; k++)
        {
            if (bids[k].Seat.AsSpan().SequenceEqual(bids[index].Seat))
            {
                return true;
            }
        }

        return false;
    }

    private static void WriteBid(Utf8JsonWriter writer, BidRequest request, ResponseBid bid)
    {
        writer.WriteStartObject();

        Span<byte> id = stackalloc byte[20];
        Utf8Formatter.TryFormat(bid.Id, id, out var idLength);
        writer.WriteString("id"u8, id[..idLength]);
        writer.WriteString("impid"u8, request[bid.ImpId]);
        writer.WriteNumber("price"u8, bid.Price);
        if (bid.AdmParts is not null && bid.Notices is not null)
        {
            WriteAdmWithClickUrl(writer, request, bid, bid.AdmParts, bid.Notices);
        }
        else if (bid.Adm is not null)
        {
            writer.WriteString("adm"u8, bid.Adm);
        }

        // A creative's own nurl serves its markup on a win, so it stays; the bidder's win notice
        // goes out only for creatives without one (loss notices always, billing notices unless the
        // exchange bills on nurl: then the pipeline bids only with creatives without a nurl of their own).
        if (bid.Nurl is not null)
        {
            writer.WriteString("nurl"u8, bid.Nurl);
        }
        else if (bid.Notices is not null)
        {
            writer.WritePropertyName("nurl"u8);
            bid.Notices.WriteWinUrl(writer, request, bid);
            writer.WriteStringValueSegment(ReadOnlySpan<byte>.Empty, isFinalSegment: true);
        }

        if (bid.Notices is not null)
        {
            if (bid.Notices.WritesBillingUrl)
            {
                writer.WritePropertyName("burl"u8);
                bid.Notices.WriteBillingUrl(writer, request, bid);
                writer.WriteStringValueSegment(ReadOnlySpan<byte>.Empty, isFinalSegment: true);
            }

            writer.WritePropertyName("lurl"u8);
            bid.Notices.WriteLossUrl(writer, request, bid);
            writer.WriteStringValueSegment(ReadOnlySpan<byte>.Empty, isFinalSegment: true);
        }

        if (bid.DealId.HasValue)
        {
            writer.WriteString("dealid"u8, request[bid.DealId]);
        }

        WriteStrings(writer, "adomain"u8, bid.Adomain);
        writer.WriteString("cid"u8, bid.Cid);
        writer.WriteString("crid"u8, bid.Crid);
        WriteStrings(writer, "cat"u8, bid.Cat);
        if (bid.W > 0 && bid.H > 0)
        {
            writer.WriteNumber("w"u8, bid.W);
            writer.WriteNumber("h"u8, bid.H);
        }

        writer.WriteNumber("mtype"u8, bid.Mtype);
        writer.WriteEndObject();
    }

    /// <summary><c>"adm":"..."</c>: the markup's parts as segments of one string, the click notice URL between each two.</summary>
    private static void WriteAdmWithClickUrl(Utf8JsonWriter writer, BidRequest request, ResponseBid bid, byte[][] parts, INoticeUrlWriter notices)
    {
        writer.WritePropertyName("adm"u8);
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                notices.WriteClickUrl(writer, request, bid);
            }

            writer.WriteStringValueSegment(parts[i], isFinalSegment: i == parts.Length - 1);
        }
    }

    private static void WriteStrings(Utf8JsonWriter writer, ReadOnlySpan<byte> name, byte[][] values)
    {
        if (values.Length == 0)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
