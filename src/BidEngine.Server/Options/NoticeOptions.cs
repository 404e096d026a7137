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

    /// <summary>
    /// The secret notice tokens are signed with (HMAC-SHA256): base64 of at least 32 bytes, e.g.
    /// <c>openssl rand -base64 32</c>. Best set in the environment (<c>BidEngine__Notices__SigningKey</c>),
    /// not in a file. Empty: a random key made at start, so only this process's own notices verify.
    /// Never logged, and never repeated in a validation message.
    /// </summary>
    public string SigningKey { get; set; } = "";

    /// <summary>The key before the current one, whose tokens still verify while it is rotated out; empty for none.</summary>
    public string PreviousSigningKey { get; set; } = "";

    /// <summary>How long after the bid its notices are taken; also how long the replay window remembers a bid.</summary>
    public int TokenLifetimeSeconds { get; set; } = 600;

    /// <summary>Bids the replay window can remember at once (17 B each, allocated at start); past it notices are refused (503), not forgotten.</summary>
    public int ReplayWindowCapacity { get; set; } = 2_097_152;

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

        // The key's own value is never part of a message: only what is wrong with it.
        foreach (var (name, key) in new[] { (nameof(SigningKey), SigningKey), (nameof(PreviousSigningKey), PreviousSigningKey) })
        {
            if (!IsKey(key))
            {
                yield return $"BidEngine:Notices:{name} must be empty or base64 of at least {Core.Notices.NoticeSigner.MinKeyBytes} bytes (the value is not shown)";
            }
        }

        if (string.IsNullOrEmpty(SigningKey) && !string.IsNullOrEmpty(PreviousSigningKey))
        {
            yield return "BidEngine:Notices:PreviousSigningKey is set without BidEngine:Notices:SigningKey: a rotation needs the new key";
        }

        if (TokenLifetimeSeconds is < 1 or > 86_400)
        {
            yield return "BidEngine:Notices:TokenLifetimeSeconds must be between 1 and 86400";
        }

        if (ReplayWindowCapacity is < 1024 or > 268_435_456)
        {
            yield return "BidEngine:Notices:ReplayWindowCapacity must be between 1024 and 268435456";
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

    /// <summary>The signing key's bytes, or null for a random one; call after <see cref="Validate"/>.</summary>
    public static byte[]? KeyBytes(string key) => string.IsNullOrEmpty(key) ? null : Convert.FromBase64String(key);

    /// <summary>Empty, or base64 of enough bytes.</summary>
    private static bool IsKey(string key)
    {
        var buffer = new byte[(key.Length * 3 / 4) + 3];
        return string.IsNullOrEmpty(key) || (Convert.TryFromBase64String(key, buffer, out var length) && length >= Core.Notices.NoticeSigner.MinKeyBytes);
    }
}
