namespace BidEngine.Server.Options;

/// <summary>Outcome notices and the prior refresh they feed. Bound from <c>BidEngine:Notices</c>.</summary>
public sealed class NoticeOptions
{
    /// <summary>Longest base URL accepted: it is repeated in every bid.</summary>
    public const int MaxBaseUrlLength = 512;

    /// <summary>
    /// Where exchanges and ads reach this bidder, e.g. <c>https://bidder.example.com</c>. Set, every
    /// bid carries <c>burl</c> and creatives get a click URL; empty (the default), neither.
    /// </summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>Seconds between prior refreshes from the counted outcomes.</summary>
    public int RefreshSeconds { get; set; } = 60;

    /// <summary>How many impressions the shipped prior CTR counts for against observed ones (m).</summary>
    public double PriorStrengthImpressions { get; set; } = 1000;

    /// <summary>Where each refreshed table is written (atomically); empty, nowhere. Relative paths are taken from the binary's folder.</summary>
    public string SavePath { get; set; } = "";

    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrEmpty(BaseUrl)
            && (BaseUrl.Length > MaxBaseUrlLength
                || !Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                || uri.Query.Length > 0
                || uri.Fragment.Length > 0))
        {
            yield return $"BidEngine:Notices:BaseUrl must be empty or an absolute http(s) URL without query or fragment, at most {MaxBaseUrlLength} characters";
        }

        if (RefreshSeconds is < 1 or > 86_400)
        {
            yield return "BidEngine:Notices:RefreshSeconds must be between 1 and 86400";
        }

        if (!double.IsFinite(PriorStrengthImpressions) || PriorStrengthImpressions is <= 0 or > 1e9)
        {
            yield return "BidEngine:Notices:PriorStrengthImpressions must be above 0 and at most 1000000000";
        }

        if (!string.IsNullOrEmpty(SavePath) && !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(SavePath))))
        {
            yield return "BidEngine:Notices:SavePath must be in an existing folder";
        }
    }
}
