using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using BidEngine.OpenRtb.Response;
using BidEngine.OpenRtb.Writing;

namespace BidEngine.Core.Notices;

/// <summary>
/// The one room for the bidder's notice URLs: the paths the server answers on, the query
/// parameters, and how a bid's URLs are written under the base <c>BidEngine:Notices:BaseUrl</c>.
/// The response writer writes them through this type (<see cref="INoticeUrlWriter"/>) and the
/// notice endpoints and <see cref="OutcomeNotices"/> read them back with its names, so the two
/// sides cannot drift apart. Written URLs:
/// <c>{base}/openrtb2/notice/imp?c={campaign}&amp;b={bucket}&amp;i={bid id}&amp;u={user key}&amp;cur={currency}&amp;p=${AUCTION_PRICE}</c> and
/// <c>{base}/openrtb2/notice/click?c={campaign}&amp;b={bucket}</c>.
/// </summary>
public sealed class NoticeUrls : INoticeUrlWriter
{
    /// <summary>Called by the exchange when a won impression becomes billable (OpenRTB <c>burl</c>).</summary>
    public const string ImpressionPath = "/openrtb2/notice/imp";

    /// <summary>Called when the ad is clicked, from the creative's markup.</summary>
    public const string ClickPath = "/openrtb2/notice/click";

    /// <summary>Query parameter: the campaign id, percent-encoded.</summary>
    public const string CampaignParameter = "c";

    /// <summary>Query parameter: the placement bucket key, a non-negative whole number.</summary>
    public const string BucketParameter = "b";

    /// <summary>Query parameter of billing notices: the bid's id, which is its reservation's id in the ledger.</summary>
    public const string BidParameter = "i";

    /// <summary>Query parameter of billing notices: the user key the frequency cap counts (a 64-bit hash, decimal; 0 for none).</summary>
    public const string UserParameter = "u";

    /// <summary>Query parameter of billing notices: the currency of the bid, and so of the clearing price.</summary>
    public const string CurrencyParameter = "cur";

    /// <summary>Query parameter of impression notices: the clearing price, CPM.</summary>
    public const string PriceParameter = "p";

    /// <summary>The OpenRTB macro the exchange replaces with the clearing price; written literally.</summary>
    public const string PriceMacro = "${AUCTION_PRICE}";

    private static readonly byte[] BucketQuery = Encoding.UTF8.GetBytes("&" + BucketParameter + "=");
    private static readonly byte[] BidQuery = Encoding.UTF8.GetBytes("&" + BidParameter + "=");
    private static readonly byte[] UserQuery = Encoding.UTF8.GetBytes("&" + UserParameter + "=");
    private static readonly byte[] CurrencyQuery = Encoding.UTF8.GetBytes("&" + CurrencyParameter + "=");
    private static readonly byte[] PriceQuery = Encoding.UTF8.GetBytes("&" + PriceParameter + "=" + PriceMacro);

    // Everything up to the campaign id, made once: a bid adds only its campaign and bucket.
    private readonly byte[] _impressionPrefix;
    private readonly byte[] _clickPrefix;

    public NoticeUrls(string baseUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baseUrl);
        BaseUrl = baseUrl.TrimEnd('/');
        _impressionPrefix = Encoding.UTF8.GetBytes(BaseUrl + ImpressionPath + "?" + CampaignParameter + "=");
        _clickPrefix = Encoding.UTF8.GetBytes(BaseUrl + ClickPath + "?" + CampaignParameter + "=");
    }

    /// <summary>Scheme, host and any path prefix, without a trailing slash.</summary>
    public string BaseUrl { get; }

    /// <summary>A value as it goes into a notice URL's query (percent-encoded UTF-8); made once per campaign, not per bid.</summary>
    public static byte[] QueryValue(string value) => Encoding.UTF8.GetBytes(Uri.EscapeDataString(value));

    /// <inheritdoc/>
    public void WriteBillingUrl(Utf8JsonWriter writer, ResponseBid bid)
    {
        WriteUrl(writer, _impressionPrefix, bid);
        Span<byte> digits = stackalloc byte[20];
        writer.WriteStringValueSegment(BidQuery, isFinalSegment: false);
        Utf8Formatter.TryFormat(bid.Id, digits, out var length);
        writer.WriteStringValueSegment(digits[..length], isFinalSegment: false);
        writer.WriteStringValueSegment(UserQuery, isFinalSegment: false);
        Utf8Formatter.TryFormat(bid.NoticeUser, digits, out length);
        writer.WriteStringValueSegment(digits[..length], isFinalSegment: false);
        writer.WriteStringValueSegment(CurrencyQuery, isFinalSegment: false);
        writer.WriteStringValueSegment(bid.NoticeCurrency, isFinalSegment: false);
        writer.WriteStringValueSegment(PriceQuery, isFinalSegment: false);
    }

    /// <inheritdoc/>
    public void WriteClickUrl(Utf8JsonWriter writer, ResponseBid bid) => WriteUrl(writer, _clickPrefix, bid);

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
