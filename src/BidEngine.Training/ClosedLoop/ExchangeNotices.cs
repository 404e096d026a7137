using System.Globalization;
using System.Net;

namespace BidEngine.Training.ClosedLoop;

/// <summary>
/// What an exchange does with a bid's notice URLs: replaces the standard OpenRTB macros
/// (<c>${AUCTION_PRICE}</c>, <c>${AUCTION_CURRENCY}</c>, <c>${AUCTION_LOSS}</c>,
/// <c>${AUCTION_MIN_TO_WIN}</c>) and calls them; and what a user's click does: follows the click
/// URL found in the markup. Only URLs on the bidder's own address are followed (the loop never
/// calls out of the machine); a bid's other URLs are counted and left alone.
/// </summary>
internal static class ExchangeNotices
{
    public const string PriceMacro = "${AUCTION_PRICE}";
    public const string CurrencyMacro = "${AUCTION_CURRENCY}";
    public const string LossMacro = "${AUCTION_LOSS}";
    public const string MinToWinMacro = "${AUCTION_MIN_TO_WIN}";

    /// <summary>OpenRTB loss reason 102: lost to a higher bid.</summary>
    public const int LostToHigherBid = 102;

    /// <summary>The URL with every macro the exchange knows replaced; prices as CPM with up to 4 decimals.</summary>
    public static string Substitute(string url, double? priceCpm, string currency, int? lossReason, double? minToWinCpm)
    {
        var s = url;
        if (priceCpm is { } price)
        {
            s = s.Replace(PriceMacro, Cpm(price), StringComparison.Ordinal);
        }

        s = s.Replace(CurrencyMacro, currency, StringComparison.Ordinal);
        if (lossReason is { } reason)
        {
            s = s.Replace(LossMacro, reason.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        if (minToWinCpm is { } min)
        {
            s = s.Replace(MinToWinMacro, Cpm(min), StringComparison.Ordinal);
        }

        return s;
    }

    public static string Cpm(double value) => Math.Round(value, 4).ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>True when <paramref name="url"/> is on the bidder's scheme, host and port.</summary>
    public static bool IsOnBidder(string url, Uri bidder) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u)
        && u.Scheme == bidder.Scheme
        && string.Equals(u.Host, bidder.Host, StringComparison.OrdinalIgnoreCase)
        && u.Port == bidder.Port;

    /// <summary>
    /// The click URL in an ad's markup: the first URL on the bidder's address, preferring one whose
    /// path says click. HTML and VAST markup may escape <c>&amp;</c> as <c>&amp;amp;</c>; it is unescaped.
    /// Null when the markup has none.
    /// </summary>
    public static string? FindClickUrl(string? adm, Uri bidder)
    {
        if (string.IsNullOrEmpty(adm))
        {
            return null;
        }

        var root = bidder.GetLeftPart(UriPartial.Authority);
        string? first = null;
        for (var at = adm.IndexOf(root, StringComparison.OrdinalIgnoreCase); at >= 0; at = adm.IndexOf(root, at + root.Length, StringComparison.OrdinalIgnoreCase))
        {
            var end = at;
            while (end < adm.Length && !IsEnd(adm[end]))
            {
                end++;
            }

            var url = WebUtility.HtmlDecode(adm[at..end]);
            if (url.Contains("click", StringComparison.OrdinalIgnoreCase))
            {
                return url;
            }

            first ??= url;
        }

        return first;
    }

    private static bool IsEnd(char c) => c is '"' or '\'' or '<' or '>' or ']' or '\\' || char.IsWhiteSpace(c);
}
