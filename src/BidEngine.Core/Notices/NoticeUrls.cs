using System.Text;

namespace BidEngine.Core.Notices;

/// <summary>
/// The bidder's own notice URLs under one base (<c>BidEngine:Notices:BaseUrl</c>): the paths the
/// server answers on, and the constant start of each URL as UTF-8, made once here so that a bid
/// only adds its campaign and placement bucket when it is written.
/// </summary>
public sealed class NoticeUrls
{
    /// <summary>Called by the exchange when a won impression becomes billable (OpenRTB <c>burl</c>).</summary>
    public const string ImpressionPath = "/openrtb2/notice/imp";

    /// <summary>Called when the ad is clicked, from the creative's markup.</summary>
    public const string ClickPath = "/openrtb2/notice/click";

    public NoticeUrls(string baseUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baseUrl);
        BaseUrl = baseUrl.TrimEnd('/');
        ImpressionPrefix = Encoding.UTF8.GetBytes(BaseUrl + ImpressionPath + "?c=");
        ClickPrefix = Encoding.UTF8.GetBytes(BaseUrl + ClickPath + "?c=");
    }

    /// <summary>Scheme, host and any path prefix, without a trailing slash.</summary>
    public string BaseUrl { get; }

    /// <summary><c>{BaseUrl}/openrtb2/notice/imp?c=</c>; the campaign, bucket and price macro follow.</summary>
    public byte[] ImpressionPrefix { get; }

    /// <summary><c>{BaseUrl}/openrtb2/notice/click?c=</c>; the campaign and bucket follow.</summary>
    public byte[] ClickPrefix { get; }
}
