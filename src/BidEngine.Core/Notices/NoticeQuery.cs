namespace BidEngine.Core.Notices;

/// <summary>
/// The parameters of one notice's query, as spans of the raw query string (still percent-encoded):
/// <see cref="NoticeUrls.TryReadQuery"/> finds them without splitting into strings. Empty when absent.
/// </summary>
public ref struct NoticeQuery
{
    /// <summary><c>t</c>: the signed token (base64url, never percent-encoded).</summary>
    public ReadOnlySpan<char> Token;

    /// <summary><c>p</c>: <c>${AUCTION_PRICE}</c> as the exchange filled it in.</summary>
    public ReadOnlySpan<char> Price;

    /// <summary><c>cur</c>: <c>${AUCTION_CURRENCY}</c>.</summary>
    public ReadOnlySpan<char> Currency;

    /// <summary><c>loss</c>: <c>${AUCTION_LOSS}</c>.</summary>
    public ReadOnlySpan<char> Loss;

    /// <summary><c>mtw</c>: <c>${AUCTION_MIN_TO_WIN}</c>.</summary>
    public ReadOnlySpan<char> MinToWin;
}
