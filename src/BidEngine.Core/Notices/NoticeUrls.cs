using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Exchanges;
using BidEngine.Core.Time;
using BidEngine.OpenRtb.Request;
using BidEngine.OpenRtb.Response;
using BidEngine.OpenRtb.Writing;

namespace BidEngine.Core.Notices;

/// <summary>
/// The one room for the bidder's notice URLs: the paths the server answers on, the query
/// parameters, and how a bid's URLs are written under the base <c>BidEngine:Notices:BaseUrl</c>.
/// The response writer writes them through this type (<see cref="INoticeUrlWriter"/>) and the
/// notice endpoints and <see cref="OutcomeNotices"/> read them back with its names and
/// <see cref="TryReadQuery"/>, so the two sides cannot drift apart. Written URLs:
/// <code>
/// nurl  {base}/openrtb2/notice/win?t={token}&amp;p=${AUCTION_PRICE}&amp;cur=${AUCTION_CURRENCY}&amp;mtw=${AUCTION_MIN_TO_WIN}
/// burl  {base}/openrtb2/notice/imp?t={token}&amp;p=${AUCTION_PRICE}&amp;cur=${AUCTION_CURRENCY}
/// lurl  {base}/openrtb2/notice/loss?t={token}&amp;loss=${AUCTION_LOSS}&amp;mtw=${AUCTION_MIN_TO_WIN}
/// click {base}/openrtb2/notice/click?t={token}     (in the markup, in place of ${BIDENGINE_CLICK_URL})
/// </code>
/// Everything the bidder knew is inside the token (<see cref="NoticeToken"/>: request, imp, bid,
/// campaign and creative ids, user key, bucket, price, currency, expected value, auction type,
/// issue time, notice kind), signed with HMAC-SHA256 (<see cref="NoticeSigner"/>) and written
/// base64url; the query carries only what the exchange fills in. Each URL's token names its kind,
/// so a win URL cannot be sent as a billing one, nor a click URL (public, in the page) as either.
/// Each token is made as the response is written: stack buffers, written as segments of the JSON
/// string, 0 B per bid.
/// <para>
/// Each token names the exchange the bid was made for (<see cref="For"/>: one writer per exchange),
/// and the exchange's profile decides the URLs: for an exchange that bills on <c>nurl</c>
/// (<see cref="BillingUrl.Nurl"/>) the win URL carries a <see cref="NoticeKind.BillingWin"/> token
/// and the bid has no <c>burl</c> (<see cref="WritesBillingUrl"/>).
/// </para>
/// </summary>
public sealed class NoticeUrls : INoticeUrlWriter
{
    /// <summary>Called by the exchange when the bid won (OpenRTB <c>nurl</c>).</summary>
    public const string WinPath = "/openrtb2/notice/win";

    /// <summary>Called by the exchange when a won impression becomes billable (OpenRTB <c>burl</c>).</summary>
    public const string ImpressionPath = "/openrtb2/notice/imp";

    /// <summary>Called by the exchange when the bid lost (OpenRTB <c>lurl</c>).</summary>
    public const string LossPath = "/openrtb2/notice/loss";

    /// <summary>Called when the ad is clicked, from the creative's markup.</summary>
    public const string ClickPath = "/openrtb2/notice/click";

    /// <summary>Query parameter: the signed token (base64url).</summary>
    public const string TokenParameter = "t";

    /// <summary>Query parameter of win and billing notices: the clearing price, CPM.</summary>
    public const string PriceParameter = "p";

    /// <summary>Query parameter of win and billing notices: the currency of the clearing price; when given it must be the bid's.</summary>
    public const string CurrencyParameter = "cur";

    /// <summary>Query parameter of loss notices: the OpenRTB loss reason code.</summary>
    public const string LossParameter = "loss";

    /// <summary>Query parameter of win and loss notices: the lowest bid that would have won, CPM, when the exchange tells.</summary>
    public const string MinToWinParameter = "mtw";

    /// <summary>The OpenRTB macros the exchange replaces; written literally.</summary>
    public const string PriceMacro = "${AUCTION_PRICE}";

    public const string CurrencyMacro = "${AUCTION_CURRENCY}";

    public const string LossMacro = "${AUCTION_LOSS}";

    public const string MinToWinMacro = "${AUCTION_MIN_TO_WIN}";

    private readonly NoticeSigner _signer;
    private readonly IClock _clock;

    // The writer of the bidder-wide route, and the exchanges' writers it made (one each, kept for the process).
    private readonly NoticeUrls _root;
    private readonly ConcurrentDictionary<Exchange, NoticeUrls>? _byExchange;
    private readonly byte[] _exchangeUtf8;
    private readonly NoticeKind _winKind;

    // Everything up to the token and everything after it, made once: a bid adds only its token.
    private readonly byte[] _winPrefix;
    private readonly byte[] _impressionPrefix;
    private readonly byte[] _lossPrefix;
    private readonly byte[] _clickPrefix;
    private static readonly byte[] WinSuffix = Ascii($"&{PriceParameter}={PriceMacro}&{CurrencyParameter}={CurrencyMacro}&{MinToWinParameter}={MinToWinMacro}");
    private static readonly byte[] ImpressionSuffix = Ascii($"&{PriceParameter}={PriceMacro}&{CurrencyParameter}={CurrencyMacro}");
    private static readonly byte[] LossSuffix = Ascii($"&{LossParameter}={LossMacro}&{MinToWinParameter}={MinToWinMacro}");

    /// <param name="baseUrl">Scheme, host and any path prefix of this bidder as exchanges reach it.</param>
    /// <param name="signer">Signs the tokens; the notice endpoints verify with the same keys.</param>
    /// <param name="clock">The issue time of each token.</param>
    public NoticeUrls(string baseUrl, NoticeSigner signer, IClock clock)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baseUrl);
        BaseUrl = baseUrl.TrimEnd('/');
        _signer = signer;
        _clock = clock;
        _winPrefix = Encoding.UTF8.GetBytes($"{BaseUrl}{WinPath}?{TokenParameter}=");
        _impressionPrefix = Encoding.UTF8.GetBytes($"{BaseUrl}{ImpressionPath}?{TokenParameter}=");
        _lossPrefix = Encoding.UTF8.GetBytes($"{BaseUrl}{LossPath}?{TokenParameter}=");
        _clickPrefix = Encoding.UTF8.GetBytes($"{BaseUrl}{ClickPath}?{TokenParameter}=");
        _root = this;
        _byExchange = new ConcurrentDictionary<Exchange, NoticeUrls>(ReferenceEqualityComparer.Instance);
        _exchangeUtf8 = [];
        _winKind = NoticeKind.Win;
    }

    /// <summary>The writer for one exchange's bids: the same base and keys, its name in every token, its profile's URLs.</summary>
    private NoticeUrls(NoticeUrls root, Exchange exchange)
    {
        BaseUrl = root.BaseUrl;
        _signer = root._signer;
        _clock = root._clock;
        _winPrefix = root._winPrefix;
        _impressionPrefix = root._impressionPrefix;
        _lossPrefix = root._lossPrefix;
        _clickPrefix = root._clickPrefix;
        _root = root;
        _exchangeUtf8 = exchange.NameUtf8.Length <= NoticeToken.MaxExchangeBytes
            ? exchange.NameUtf8
            : throw new ArgumentException($"an exchange name has at most {NoticeToken.MaxExchangeBytes} bytes", nameof(exchange));
        _winKind = exchange.BillOn == BillingUrl.Nurl ? NoticeKind.BillingWin : NoticeKind.Win;
    }

    /// <summary>Scheme, host and any path prefix, without a trailing slash.</summary>
    public string BaseUrl { get; }

    /// <summary>
    /// Whether bids get a <c>burl</c>: false for an exchange that bills on <c>nurl</c>, whose win
    /// notice is the billable event (its nurl carries the billing token).
    /// </summary>
    public bool WritesBillingUrl => _winKind == NoticeKind.Win;

    /// <summary>
    /// The writer for bids made for <paramref name="exchange"/> (null: the bidder-wide route, this one).
    /// Made on an exchange's first bid and kept: later calls are one lookup, 0 B.
    /// </summary>
    public NoticeUrls For(Exchange? exchange) =>
        exchange is null ? _root : _root._byExchange!.GetOrAdd(exchange, static (e, root) => new NoticeUrls(root, e), _root);

    /// <summary>
    /// Whether a bid with this campaign and creative can carry this writer's notices: their ids fit in
    /// a token, and, where the win notice bills, the creative has no <c>nurl</c> of its own (which would
    /// take the billing notice's place: the spend would never reach the ledger).
    /// </summary>
    public bool CanCarryBid(Campaign campaign, Creative creative) =>
        CanCarry(campaign, creative) && (WritesBillingUrl || creative.NurlUtf8 is null);

    /// <summary>A value as it goes into a URL's query (percent-encoded UTF-8); made once per campaign, not per bid.</summary>
    public static byte[] QueryValue(string value) => Encoding.UTF8.GetBytes(Uri.EscapeDataString(value));

    /// <summary>Whether the request's id and every imp id fit in a token (<see cref="NoticeToken.MaxIdBytes"/>); real ids are far shorter.</summary>
    public static bool CanCarry(BidRequest request)
    {
        if (!NoticeToken.Fits(request[request.Id]))
        {
            return false;
        }

        var imps = request.Imps;
        for (var i = 0; i < imps.Count; i++)
        {
            if (!NoticeToken.Fits(request[imps[i].Id]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether a campaign's and creative's ids fit in a token.</summary>
    public static bool CanCarry(Campaign campaign, Creative creative) => NoticeToken.Fits(campaign.IdUtf8) && NoticeToken.Fits(creative.IdUtf8);

    /// <inheritdoc/>
    public void WriteWinUrl(Utf8JsonWriter writer, BidRequest request, ResponseBid bid) => WriteUrl(writer, _winPrefix, _winKind, request, bid, WinSuffix);

    /// <inheritdoc/>
    public void WriteBillingUrl(Utf8JsonWriter writer, BidRequest request, ResponseBid bid) => WriteUrl(writer, _impressionPrefix, NoticeKind.Impression, request, bid, ImpressionSuffix);

    /// <inheritdoc/>
    public void WriteLossUrl(Utf8JsonWriter writer, BidRequest request, ResponseBid bid) => WriteUrl(writer, _lossPrefix, NoticeKind.Loss, request, bid, LossSuffix);

    /// <inheritdoc/>
    public void WriteClickUrl(Utf8JsonWriter writer, BidRequest request, ResponseBid bid) => WriteUrl(writer, _clickPrefix, NoticeKind.Click, request, bid, []);

    /// <summary>
    /// Finds the notice parameters in a raw query string (with or without its leading <c>?</c>),
    /// as spans of it. Unknown parameters are ignored (exchanges append their own); one given
    /// twice is ambiguous and refused: false, with its name in <paramref name="repeated"/>.
    /// </summary>
    public static bool TryReadQuery(ReadOnlySpan<char> query, out NoticeQuery parameters, out string? repeated)
    {
        parameters = default;
        repeated = null;
        if (query.StartsWith('?'))
        {
            query = query[1..];
        }

        var given = 0;
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? [] : pair[(equals + 1)..];
            var index = NameIndex(name);
            if (index < 0)
            {
                continue;
            }

            if ((given & (1 << index)) != 0)
            {
                repeated = Names[index];
                return false;
            }

            given |= 1 << index;
            switch (index)
            {
                case 0: parameters.Token = value; break;
                case 1: parameters.Price = value; break;
                case 2: parameters.Currency = value; break;
                case 3: parameters.Loss = value; break;
                default: parameters.MinToWin = value; break;
            }
        }

        return true;
    }

    /// <summary>
    /// Percent-decodes a query value into <paramref name="destination"/>; returns its length, or -1
    /// when it is badly encoded or longer than the destination. Values here are ASCII (prices, codes).
    /// </summary>
    public static int Unescape(ReadOnlySpan<char> value, Span<char> destination)
    {
        var length = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (length == destination.Length)
            {
                return -1;
            }

            var c = value[i];
            if (c == '%')
            {
                if (i + 2 >= value.Length)
                {
                    return -1;
                }

                var high = HexValue(value[i + 1]);
                var low = HexValue(value[i + 2]);
                if (high < 0 || low < 0)
                {
                    return -1;
                }

                c = (char)((high << 4) | low);
                i += 2;
            }
            else if (c == '+')
            {
                c = ' ';
            }

            destination[length++] = c;
        }

        return length;
    }

    private void WriteUrl(Utf8JsonWriter writer, byte[] prefix, NoticeKind kind, BidRequest request, ResponseBid bid, byte[] suffix)
    {
        writer.WriteStringValueSegment(prefix, isFinalSegment: false);
        Span<byte> token = stackalloc byte[NoticeToken.MaxBytes];
        var length = NoticeToken.Write(
            token,
            _signer,
            kind,
            bid.NoticeFirstPrice,
            bid.NoticeModelScored,
            _clock.UtcNow.ToUnixTimeSeconds(),
            bid.Id,
            bid.NoticeUser,
            bid.NoticeBucket,
            bid.Price,
            bid.NoticeValueCpm,
            bid.NoticeCurrency,
            request[request.Id],
            request[bid.ImpId],
            bid.Cid,
            bid.Crid,
            _exchangeUtf8);
        Span<byte> text = stackalloc byte[NoticeToken.MaxChars];
        Base64Url.EncodeToUtf8(token[..length], text, out _, out var written);
        writer.WriteStringValueSegment(text[..written], isFinalSegment: false);
        if (suffix.Length > 0)
        {
            writer.WriteStringValueSegment(suffix, isFinalSegment: false);
        }
    }

    private static readonly string[] Names = [TokenParameter, PriceParameter, CurrencyParameter, LossParameter, MinToWinParameter];

    private static int NameIndex(ReadOnlySpan<char> name)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (name.SequenceEqual(Names[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
