using System.Globalization;

namespace BidEngine.LoadTests.Money;

/// <summary>What an exchange does with a bid's notice URL: fills in the OpenRTB macros and calls it on a node of its choice.</summary>
public static class NoticeCall
{
    private const string NoticeRoot = "/openrtb2/notice/";

    /// <summary>
    /// The URL of <paramref name="url"/> (written under the fleet's front) on <paramref name="node"/>, with
    /// the macros replaced: price as CPM with up to 4 decimals, currency, loss reason, minimum to win.
    /// </summary>
    public static Uri On(Uri node, string url, double? priceCpm = null, string currency = "USD", int? loss = null, double? minToWinCpm = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(url);
        var at = url.IndexOf(NoticeRoot, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new FormatException($"not a notice URL of the bidder: {url}");
        }

        var path = url[at..].Replace("${AUCTION_CURRENCY}", currency, StringComparison.Ordinal);
        if (priceCpm is { } price)
        {
            path = path.Replace("${AUCTION_PRICE}", Cpm(price), StringComparison.Ordinal);
        }

        if (loss is { } reason)
        {
            path = path.Replace("${AUCTION_LOSS}", reason.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        if (minToWinCpm is { } min)
        {
            path = path.Replace("${AUCTION_MIN_TO_WIN}", Cpm(min), StringComparison.Ordinal);
        }

        return new Uri(node, path);
    }

    public static string Cpm(double value) => Math.Round(value, 4).ToString("0.####", CultureInfo.InvariantCulture);
}
