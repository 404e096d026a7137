using System.Text.Json;
using BidEngine.OpenRtb.Request;
using BidEngine.OpenRtb.Response;

namespace BidEngine.OpenRtb.Writing;

/// <summary>
/// Writes a bid's notice URLs. The wire format knows only where they go (<c>nurl</c>, <c>burl</c>,
/// <c>lurl</c>, and inside the markup in place of the click macro); their paths, parameters, tokens
/// and format belong to the bidder's notice room (<c>BidEngine.Core.Notices.NoticeUrls</c>), which
/// also checks them when they come back. Each method writes its URL as non-final segments of the
/// JSON string value being written, so that no URL is ever assembled in a buffer: nothing
/// allocated, no markup copied.
/// </summary>
public interface INoticeUrlWriter
{
    /// <summary>The win notice URL of <paramref name="bid"/>, as segments of the <c>nurl</c> value.</summary>
    void WriteWinUrl(Utf8JsonWriter writer, BidRequest request, ResponseBid bid);

    /// <summary>Whether bids carry a <c>burl</c>; false where the exchange bills on <c>nurl</c> (the win URL then bills).</summary>
    bool WritesBillingUrl => true;

    /// <summary>The billing notice URL of <paramref name="bid"/>, as segments of the <c>burl</c> value.</summary>
    void WriteBillingUrl(Utf8JsonWriter writer, BidRequest request, ResponseBid bid);

    /// <summary>The loss notice URL of <paramref name="bid"/>, as segments of the <c>lurl</c> value.</summary>
    void WriteLossUrl(Utf8JsonWriter writer, BidRequest request, ResponseBid bid);

    /// <summary>The click notice URL of <paramref name="bid"/>, as segments of the <c>adm</c> value.</summary>
    void WriteClickUrl(Utf8JsonWriter writer, BidRequest request, ResponseBid bid);
}
