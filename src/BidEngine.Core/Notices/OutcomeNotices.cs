using System.Globalization;
using System.Text;
using BidEngine.Core.Budgets;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Eligibility;
using BidEngine.Core.Events;
using BidEngine.Core.Exchanges;
using BidEngine.Core.Heuristics;
using BidEngine.Core.Pricing;
using BidEngine.Core.Time;

namespace BidEngine.Core.Notices;

/// <summary>
/// Where a notice is believed or not, and what it then changes. In order, each step before any effect:
/// <list type="number">
/// <item>the query (<see cref="NoticeUrls.TryReadQuery"/>): a missing, repeated or malformed
/// parameter, or a price macro the exchange left in place, is <see cref="NoticeOutcome.Bad"/> (400);</item>
/// <item>the token (<see cref="NoticeToken"/>): its signature under the current or previous key, and
/// that it is this kind's token; then the exchange it names, whose profile judges the rest (a win
/// notice takes a <see cref="NoticeKind.BillingWin"/> token where the exchange bills on <c>nurl</c>,
/// a win token elsewhere, and a billing notice only where it bills on <c>burl</c>); then its age
/// (<see cref="TokenLifetime"/>); refused otherwise (403). A token made by another node of the fleet,
/// or before a restart, is as good as one made here: the replay window is durable or shared;</item>
/// <item>the clearing price in the exchange's encoding: a plain CPM, or, where the profile says
/// <see cref="PriceEncoding.Encrypted"/>, the price decrypted with its keys, whose signature must
/// match (refused like a forged token otherwise, <see cref="NoticeOutcome.BadPriceSignature"/>; a
/// plain number there is a 400); then against the bid's own, signed price; and the currency, if the
/// exchange sent one, against the bid's;</item>
/// <item>the <see cref="ReplayWindow"/>: a notice kind counts once per bid, a click needs its
/// impression billed first, a loss cannot follow a win or billing (nor the reverse);</item>
/// </list>
/// and only then the effects, all keyed by what the token says, never by the query:
/// a win is counted (and for a first-price bid tells <see cref="IBidShading.ObserveWin"/>); a
/// billing notice becomes a <see cref="BillingNotice"/> that <see cref="BillingBook"/> settles
/// (ledger, frequency cap) and, if it became spend, an impression for the priors (and a first-price
/// win for the shading, if no win notice told it already); a billing win does both, marked once; a loss releases the reservation
/// (<see cref="IBudgetLedger.Release"/>) and tells <see cref="IBidShading.ObserveLoss"/>; a click
/// counts for the priors. Each is logged with the token's request, imp, campaign and creative ids.
/// Allocation-free on every path but the 400 answers' messages.
/// </summary>
public sealed class OutcomeNotices
{
    /// <summary>Highest clearing price accepted, CPM: far above any real one, in any currency dealt in.</summary>
    public const double MaxPriceCpm = 1_000_000;

    /// <summary>Micros in one currency unit: an encrypted price is a count of micros of CPM.</summary>
    private const double MicrosPerUnit = 1_000_000;

    private static readonly string PlainOrEncrypted =
        $"a plain decimal CPM between 0 and {MaxPriceCpm}, or where the exchange encrypts it its encrypted price ({EncryptedPriceKeys.EncodedLength} characters of web-safe base64)";

    /// <summary>Highest OpenRTB loss reason code accepted (exchange-specific codes start at 1000).</summary>
    public const int MaxLossReason = 9999;

    private readonly Func<CampaignSnapshot> _campaigns;
    private readonly OutcomeCounts _counts;
    private readonly BillingBook _billing;
    private readonly NoticeSigner _signer;
    private readonly IReplayWindow _window;
    private readonly IClock _clock;
    private readonly long _lifetimeSeconds;
    private readonly IBidShading? _shading;
    private readonly EventLog _log;
    private readonly ExchangeDirectory? _exchanges;

    /// <param name="campaigns">The current campaigns: a notice counts only for a campaign still loaded.</param>
    /// <param name="counts">Impressions and clicks for the priors.</param>
    /// <param name="billing">Settles billing notices in the ledger and counts the frequency cap.</param>
    /// <param name="signer">The keys tokens are verified with (the writer's).</param>
    /// <param name="window">The de-duplication; its entries must be able to live <paramref name="tokenLifetime"/>.</param>
    /// <param name="clock">Now (wall clock), for token age.</param>
    /// <param name="tokenLifetime">How long after the bid its notices are taken.</param>
    /// <param name="shading">Told first-price outcomes; null: none.</param>
    /// <param name="log">The bid log; null: off.</param>
    /// <param name="exchanges">The exchange profiles tokens name; null: none (only the bidder-wide route's tokens are taken).</param>
    public OutcomeNotices(
        Func<CampaignSnapshot> campaigns,
        OutcomeCounts counts,
        BillingBook billing,
        NoticeSigner signer,
        IReplayWindow window,
        IClock clock,
        TimeSpan tokenLifetime,
        IBidShading? shading = null,
        EventLog? log = null,
        ExchangeDirectory? exchanges = null)
    {
        _campaigns = campaigns;
        _counts = counts;
        _billing = billing;
        _signer = signer;
        _window = window;
        _clock = clock;
        _lifetimeSeconds = (long)tokenLifetime.TotalSeconds;
        _shading = shading;
        _log = log ?? EventLog.Off;
        _exchanges = exchanges;
    }

    public OutcomeCounts Counts => _counts;

    /// <summary>Wins and losses per campaign, for the status page; null: not counted.</summary>
    public WinLossCounts? WinsAndLosses { get; init; }

    public TimeSpan TokenLifetime => TimeSpan.FromSeconds(_lifetimeSeconds);

    /// <summary>Checks one notice of <paramref name="kind"/> from its raw query string and, if it holds, applies it.</summary>
    public NoticeResult Handle(NoticeKind kind, ReadOnlySpan<char> query)
    {
        if (!NoticeUrls.TryReadQuery(query, out var q, out var repeated))
        {
            return NoticeResult.Malformed(repeated!, "given once");
        }

        if (q.Token.IsEmpty)
        {
            return NoticeResult.Missing(NoticeUrls.TokenParameter);
        }

        Span<char> priceText = stackalloc char[EncryptedPriceKeys.EncodedLength];
        if (ReadParameters(kind, q, priceText, out var given) is { } malformed)
        {
            return malformed;
        }

        Span<byte> buffer = stackalloc byte[NoticeToken.MaxBytes];
        if (CheckToken(kind, q.Token, buffer, out var claims, out var exchange, out var expires, out var now) is { } refused)
        {
            return refused;
        }

        if (ReadPrice(kind, exchange, priceText[..given.PriceLength], ref given) is { } badPrice)
        {
            return badPrice;
        }

        if (CheckAgainstBid(kind, q.Currency, claims, given.Price) is { } contradicts)
        {
            return contradicts;
        }

        return Apply(kind, claims, given, expires, now);
    }

    /// <summary>
    /// Step 1, the query: the price (a plain CPM, or shaped like an encrypted one: its form is known only
    /// once the token names the exchange), the loss reason and the optional min-to-win. Null when they read.
    /// </summary>
    private static NoticeResult? ReadParameters(NoticeKind kind, scoped in NoticeQuery q, Span<char> priceText, out GivenValues given)
    {
        given = default;
        Span<char> value = stackalloc char[32];
        if (kind is NoticeKind.Win or NoticeKind.Impression)
        {
            if (q.Price.IsEmpty)
            {
                return NoticeResult.Missing(NoticeUrls.PriceParameter);
            }

            var form = ReadNumber(q.Price, value, out given.Price);
            if (form == NumberForm.Macro)
            {
                return NoticeResult.Unsubstituted(NoticeUrls.PriceParameter, NoticeUrls.PriceMacro);
            }

            given.PlainPrice = form == NumberForm.Plain;
            if (!given.PlainPrice)
            {
                given.PriceLength = NoticeUrls.Unescape(q.Price, priceText);
                if (given.PriceLength < 0 || !EncryptedPriceKeys.LooksEncrypted(priceText[..given.PriceLength]))
                {
                    return NoticeResult.Malformed(NoticeUrls.PriceParameter, PlainOrEncrypted);
                }
            }
        }

        if (kind == NoticeKind.Loss)
        {
            if (q.Loss.IsEmpty)
            {
                return NoticeResult.Missing(NoticeUrls.LossParameter);
            }

            var length = NoticeUrls.Unescape(q.Loss, value);
            if (length > 0 && IsMacro(value[..length]))
            {
                return NoticeResult.Unsubstituted(NoticeUrls.LossParameter, NoticeUrls.LossMacro);
            }

            if (length <= 0 || !int.TryParse(value[..length], NumberStyles.None, CultureInfo.InvariantCulture, out given.LossReason) || given.LossReason > MaxLossReason)
            {
                return NoticeResult.Malformed(NoticeUrls.LossParameter, $"an OpenRTB loss reason code (0 to {MaxLossReason})");
            }
        }

        // ${AUCTION_MIN_TO_WIN} is optional: an exchange that does not fill it leaves it empty or as the macro.
        if (kind is NoticeKind.Win or NoticeKind.Loss && !q.MinToWin.IsEmpty)
        {
            var length = NoticeUrls.Unescape(q.MinToWin, value);
            if (length < 0 || !IsMacro(value[..length]))
            {
                if (!TryReadNumber(q.MinToWin, value, NoticeUrls.MinToWinParameter, NoticeUrls.MinToWinMacro, out var mtw, out var bad))
                {
                    return bad;
                }

                given.MinToWin = mtw;
            }
        }

        return null;
    }

    /// <summary>
    /// Step 2, the token: its signature, that it is this path's kind of token, the exchange it names
    /// (whose profile judges the rest, never the path or the query), and its age. Null when it holds.
    /// </summary>
    private NoticeResult? CheckToken(NoticeKind kind, ReadOnlySpan<char> token, Span<byte> buffer, out NoticeClaims claims, out Exchange? exchange, out long expires, out long now)
    {
        exchange = null;
        expires = now = 0;
        switch (NoticeToken.TryRead(token, _signer, buffer, out claims))
        {
            case TokenCheck.Bad:
                return NoticeResult.Refused(NoticeOutcome.BadToken);
            case TokenCheck.UnknownKey:
                return NoticeResult.Refused(NoticeOutcome.UnknownKey);
        }

        if (!claims.Exchange.IsEmpty && (_exchanges is null || !_exchanges.TryGet(claims.Exchange, out exchange)))
        {
            return NoticeResult.Refused(NoticeOutcome.UnknownExchange);
        }

        if (!AcceptsToken(kind, claims.Kind, exchange?.BillOn ?? BillingUrl.Burl))
        {
            return NoticeResult.Refused(NoticeOutcome.BadToken);
        }

        now = _clock.UtcNow.ToUnixTimeSeconds();
        expires = claims.IssuedSeconds + _lifetimeSeconds;
        return expires < now ? NoticeResult.Refused(NoticeOutcome.Expired) : null;
    }

    /// <summary>
    /// Step 3, the clearing price in the exchange's encoding. Decrypted micros of CPM are, unrounded, the
    /// nanos one impression costs (CPM / 1000 × 10^9 = CPM × 10^6): kept for the ledger, no double in between.
    /// </summary>
    private static NoticeResult? ReadPrice(NoticeKind kind, Exchange? exchange, ReadOnlySpan<char> priceText, ref GivenValues given)
    {
        given.Micros = -1;
        if (kind is not (NoticeKind.Win or NoticeKind.Impression))
        {
            return null;
        }

        if (exchange?.PriceKeys is { } priceKeys)
        {
            if (given.PlainPrice)
            {
                return NoticeResult.Malformed(NoticeUrls.PriceParameter, $"the encrypted price of exchange {exchange.Name}, whose profile says PriceMacro Encrypted ({EncryptedPriceKeys.EncodedLength} characters of web-safe base64); a plain number was sent");
            }

            switch (priceKeys.TryDecrypt(priceText, out given.Micros))
            {
                case PriceDecryptionResult.BadSignature:
                    return NoticeResult.Refused(NoticeOutcome.BadPriceSignature);
                case PriceDecryptionResult.Malformed:
                    return NoticeResult.Malformed(NoticeUrls.PriceParameter, $"the encrypted price of exchange {exchange.Name} ({EncryptedPriceKeys.EncodedLength} characters of web-safe base64, 28 bytes)");
            }

            given.Price = given.Micros / MicrosPerUnit;
            return null;
        }

        return given.PlainPrice ? null
            : NoticeResult.Malformed(NoticeUrls.PriceParameter, $"a plain decimal CPM between 0 and {MaxPriceCpm}: the prices of {(exchange is null ? "the bidder-wide route" : "exchange " + exchange.Name)} are not encrypted");
    }

    /// <summary>Step 4: the currency, if the exchange sent one, must be the bid's; the price may not pass the bid's own signed price.</summary>
    private static NoticeResult? CheckAgainstBid(NoticeKind kind, ReadOnlySpan<char> currency, scoped in NoticeClaims claims, double price)
    {
        if (kind is NoticeKind.Win or NoticeKind.Impression && !currency.IsEmpty)
        {
            Span<char> value = stackalloc char[32];
            var length = NoticeUrls.Unescape(currency, value);
            if (length < 0 || (!IsMacro(value[..length]) && !SameCurrency(value[..length], claims.Currency)))
            {
                return NoticeResult.Malformed(NoticeUrls.CurrencyParameter, "the currency of the bid, when given");
            }
        }

        return price > claims.PriceCpm ? NoticeResult.Refused(NoticeOutcome.PriceAboveBid) : null;
    }

    /// <summary>Step 5, the effects: keyed by what the token says (campaign, bucket, bid, user), never by the query.</summary>
    private NoticeResult Apply(NoticeKind kind, scoped in NoticeClaims claims, in GivenValues given, long expires, long now)
    {
        var price = given.Price;

        // The ids as characters, for the campaign lookup and the log: at most 4 × 255 chars on the stack.
        Span<char> ids = stackalloc char[4 * NoticeToken.MaxIdBytes];
        var requestId = Chars(claims.RequestId, ids, out var rest);
        var impId = Chars(claims.ImpId, rest, out rest);
        var campaignId = Chars(claims.CampaignId, rest, out rest);
        var creativeId = Chars(claims.CreativeId, rest, out _);
        var snapshot = _campaigns();
        if (!snapshot.TryGetCampaign(campaignId, out var campaign))
        {
            return new NoticeResult(NoticeOutcome.UnknownCampaign, price);
        }

        if (!PlacementBucket.IsBucketOf(campaign, claims.Bucket))
        {
            return new NoticeResult(NoticeOutcome.UnknownBucket, price);
        }

        var currency = snapshot.Currencies.IndexOf(claims.Currency);
        var usd = currency < 0 ? 0 : snapshot.Currencies.ToUsd(price, currency);
        var keys = new OutcomeKeys(requestId, impId, campaignId, creativeId);
        var ctr = PricedCtr(claims.ValueCpm, currency, campaign, snapshot.Currencies);
        var bid = new Verified(campaign, claims.BidId, claims.User, claims.Bucket, claims.PriceCpm, claims.ValueCpm, claims.FirstPrice, ctr, claims.ModelScored, expires, now);
        return claims.Kind switch
        {
            NoticeKind.Win => Win(bid, keys, price, usd, given.MinToWin),
            NoticeKind.Impression or NoticeKind.BillingWin when currency < 0 =>
                new NoticeResult(NoticeOutcome.NotBilled, price), // the rate table lost the bid's currency since the bid
            NoticeKind.Impression => Bill(bid, keys, price, usd, ClearingNanos(price, given.Micros, currency, campaign, snapshot.Currencies)),
            NoticeKind.BillingWin => WinAndBill(bid, keys, price, usd, ClearingNanos(price, given.Micros, currency, campaign, snapshot.Currencies), given.MinToWin),
            NoticeKind.Loss => Loss(bid, keys, given.LossReason, given.MinToWin, given.MinToWin is { } m && currency >= 0 ? snapshot.Currencies.ToUsd(m, currency) : null),
            _ => Click(bid, keys),
        };
    }

    private NoticeResult Win(in Verified bid, scoped in OutcomeKeys keys, double price, double usd, double? minToWin)
    {
        var mark = _window.TryMark(bid.BidId, NoticeMarks.Win, NoticeMarks.None, NoticeMarks.Loss, bid.Expires, bid.Now, out var before);
        if (mark != ReplayMark.Added)
        {
            return Refusal(mark);
        }

        // A billing notice that came first told the shading already: one observation per bid.
        if ((before & NoticeMarks.Billed) == 0)
        {
            WinsAndLosses?.AddWin(bid.Campaign.Id);
            if (bid.FirstPrice)
            {
                _shading?.ObserveWin(bid.Campaign, bid.BidCpm, bid.ValueCpm, minToWin);
            }
        }

        _log.TryAppendWin(keys, usd);
        return new NoticeResult(NoticeOutcome.Recorded, price);
    }

    private NoticeResult Bill(in Verified bid, scoped in OutcomeKeys keys, double price, double usd, long nanos)
    {
        var mark = _window.TryMark(bid.BidId, NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.Loss, bid.Expires, bid.Now, out var before);
        if (mark != ReplayMark.Added)
        {
            return Refusal(mark);
        }

        var settled = _billing.Bill(new BillingNotice(bid.Campaign, bid.BidId, bid.User, bid.Bucket, nanos, price));
        if (!SettleOutcomes.IsSpend(settled))
        {
            return NotBilled(bid.BidId, NoticeMarks.Billed, price, settled);
        }

        // The campaign's own id string is stored, never one made from the notice.
        _counts.AddImpression(bid.Campaign.Id, bid.Bucket);
        if ((before & NoticeMarks.Win) == 0)
        {
            WinsAndLosses?.AddWin(bid.Campaign.Id);
            if (bid.FirstPrice)
            {
                _shading?.ObserveWin(bid.Campaign, bid.BidCpm, bid.ValueCpm, null);
            }
        }

        _log.TryAppendBill(keys, usd);
        return new NoticeResult(NoticeOutcome.Recorded, price, Settle: settled, PredictedCtr: bid.Ctr, ModelScored: bid.ModelScored);
    }

    /// <summary>
    /// The win notice of an exchange that bills on <c>nurl</c>: the win and the billing in one mark, so
    /// that of any number of replays exactly one spends, and a loss can follow neither.
    /// </summary>
    private NoticeResult WinAndBill(in Verified bid, scoped in OutcomeKeys keys, double price, double usd, long nanos, double? minToWin)
    {
        var mark = _window.TryMark(bid.BidId, NoticeMarks.Win | NoticeMarks.Billed, NoticeMarks.None, NoticeMarks.Loss, bid.Expires, bid.Now, out _);
        if (mark != ReplayMark.Added)
        {
            return Refusal(mark);
        }

        var settled = _billing.Bill(new BillingNotice(bid.Campaign, bid.BidId, bid.User, bid.Bucket, nanos, price));
        if (!SettleOutcomes.IsSpend(settled))
        {
            return NotBilled(bid.BidId, NoticeMarks.Win | NoticeMarks.Billed, price, settled);
        }

        WinsAndLosses?.AddWin(bid.Campaign.Id);
        if (bid.FirstPrice)
        {
            _shading?.ObserveWin(bid.Campaign, bid.BidCpm, bid.ValueCpm, minToWin);
        }

        _log.TryAppendWin(keys, usd);
        _counts.AddImpression(bid.Campaign.Id, bid.Bucket);
        _log.TryAppendBill(keys, usd);
        return new NoticeResult(NoticeOutcome.Recorded, price, Settle: settled, PredictedCtr: bid.Ctr, ModelScored: bid.ModelScored);
    }

    private NoticeResult Loss(in Verified bid, scoped in OutcomeKeys keys, int lossReason, double? minToWin, double? minToWinUsd)
    {
        var mark = _window.TryMark(bid.BidId, NoticeMarks.Loss, NoticeMarks.None, NoticeMarks.Win | NoticeMarks.Billed, bid.Expires, bid.Now, out _);
        if (mark != ReplayMark.Added)
        {
            return Refusal(mark);
        }

        _billing.Ledger.Release(bid.Campaign.Id, bid.BidId);
        WinsAndLosses?.AddLoss(bid.Campaign.Id);
        if (bid.FirstPrice)
        {
            _shading?.ObserveLoss(bid.Campaign, bid.BidCpm, bid.ValueCpm, lossReason, minToWin);
        }

        _log.TryAppendLoss(keys, lossReason, minToWinUsd);
        return new NoticeResult(NoticeOutcome.Recorded);
    }

    /// <summary>Clicks count once per impression, and only on one that was billed.</summary>
    private NoticeResult Click(in Verified bid, scoped in OutcomeKeys keys)
    {
        var mark = _window.TryMark(bid.BidId, NoticeMarks.Click, NoticeMarks.Billed, NoticeMarks.None, bid.Expires, bid.Now, out _);
        if (mark != ReplayMark.Added)
        {
            return Refusal(mark);
        }

        _counts.AddClick(bid.Campaign.Id, bid.Bucket);
        _log.TryAppendClick(keys);
        return new NoticeResult(NoticeOutcome.Recorded, PredictedCtr: bid.Ctr, ModelScored: bid.ModelScored);
    }

    /// <summary>
    /// A billing the ledger did not take: its mark is taken back, so that the exchange's retry is
    /// judged again rather than answered as a replay and lost; a store out of reach is a 503.
    /// </summary>
    private NoticeResult NotBilled(long bidId, NoticeMarks marks, double price, SettleOutcome settled)
    {
        _window.Unmark(bidId, marks);
        return settled == SettleOutcome.Unavailable
            ? NoticeResult.Refused(NoticeOutcome.StoreUnavailable)
            : new NoticeResult(NoticeOutcome.NotBilled, price, Settle: settled);
    }

    private static NoticeResult Refusal(ReplayMark mark) => NoticeResult.Refused(mark switch
    {
        ReplayMark.Unavailable => NoticeOutcome.StoreUnavailable,
        ReplayMark.Replayed => NoticeOutcome.Replayed,
        ReplayMark.MissingRequired => NoticeOutcome.NoBilledImpression,
        ReplayMark.Conflicting => NoticeOutcome.Conflict,
        _ => NoticeOutcome.ReplayWindowFull,
    });

    /// <summary>
    /// Which tokens a notice path takes from an exchange billing on <paramref name="billOn"/>: the win
    /// path a win token, or a billing win token where the win bills; the billing path a billing token
    /// only where <c>burl</c> bills; loss and click their own.
    /// </summary>
    private static bool AcceptsToken(NoticeKind path, NoticeKind token, BillingUrl billOn) => path switch
    {
        NoticeKind.Win => token == (billOn == BillingUrl.Nurl ? NoticeKind.BillingWin : NoticeKind.Win),
        NoticeKind.Impression => token == NoticeKind.Impression && billOn == BillingUrl.Burl,
        _ => token == path,
    };

    /// <summary>
    /// The CTR the bid was priced with, read back from its signed value (CTR × value per click × 1000,
    /// in the bid's currency): for calibration, predicted clicks against clicks. Null when the campaign
    /// has no value per click or the rate table lost the currency; off by the change if either was
    /// reloaded between the bid and its notice.
    /// </summary>
    private static double? PricedCtr(double valueCpm, int currency, Campaign campaign, Currency.CurrencyTable currencies)
    {
        if (currency < 0 || !(campaign.ValuePerClick > 0))
        {
            return null;
        }

        var ctr = currencies.ToUsd(valueCpm, currency) / (campaign.ValuePerClick * 1000.0);
        return ctr is >= 0 and <= 1 ? ctr : null;
    }

    /// <summary>
    /// The clearing price in nanos of the campaign's currency: a decrypted price in the campaign's own
    /// currency exactly (its micros), anything else as the bid's reservation was made (<see cref="CampaignGate.ToCampaignNanos"/>).
    /// </summary>
    private static long ClearingNanos(double price, long micros, int currency, Campaign campaign, Currency.CurrencyTable currencies) =>
        micros >= 0 && currency == campaign.CurrencyIndex ? micros : CampaignGate.ToCampaignNanos(price, currency, campaign, currencies);

    /// <summary>A plain non-negative decimal (no sign, no exponent) up to <see cref="MaxPriceCpm"/>; the macro itself is named as such.</summary>
    private static bool TryReadNumber(ReadOnlySpan<char> raw, Span<char> buffer, string field, string macro, out double number, out NoticeResult bad)
    {
        bad = default;
        switch (ReadNumber(raw, buffer, out number))
        {
            case NumberForm.Macro:
                bad = NoticeResult.Unsubstituted(field, macro);
                return false;
            case NumberForm.Other:
                bad = NoticeResult.Malformed(field, $"a plain decimal CPM between 0 and {MaxPriceCpm}");
                return false;
            default:
                return true;
        }
    }

    /// <summary>What a price-like query value holds: a plain CPM, the macro left in place, or something else (an encrypted price, or garbage). Allocates nothing.</summary>
    private static NumberForm ReadNumber(ReadOnlySpan<char> raw, Span<char> buffer, out double number)
    {
        number = 0;
        var length = NoticeUrls.Unescape(raw, buffer);
        if (length > 0 && IsMacro(buffer[..length]))
        {
            return NumberForm.Macro;
        }

        if (length <= 0
            || !double.TryParse(buffer[..length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number)
            || !double.IsFinite(number) || number < 0 || number > MaxPriceCpm)
        {
            number = 0;
            return NumberForm.Other;
        }

        return NumberForm.Plain;
    }

    /// <summary>An OpenRTB macro left in place: <c>${...}</c> (percent-decoded).</summary>
    private static bool IsMacro(ReadOnlySpan<char> value) => value.StartsWith("${", StringComparison.Ordinal);

    private static bool SameCurrency(ReadOnlySpan<char> given, ReadOnlySpan<byte> bid)
    {
        if (given.Length != bid.Length)
        {
            return false;
        }

        for (var i = 0; i < given.Length; i++)
        {
            if (char.ToUpperInvariant(given[i]) != bid[i])
            {
                return false;
            }
        }

        return true;
    }

    private enum NumberForm
    {
        Plain,
        Macro,
        Other,
    }

    /// <summary>What the query gave, read before the token and finished once its exchange is known.</summary>
    private struct GivenValues
    {
        public double Price;
        public bool PlainPrice;
        public int PriceLength;
        public long Micros;
        public double? MinToWin;
        public int LossReason;
    }

    /// <summary>What the effects need of a verified token, with the campaign it names and the window's times.</summary>
    private readonly record struct Verified(Campaign Campaign, long BidId, ulong User, long Bucket, double BidCpm, double ValueCpm, bool FirstPrice, double? Ctr, bool ModelScored, long Expires, long Now);

    private static ReadOnlySpan<char> Chars(ReadOnlySpan<byte> utf8, Span<char> buffer, out Span<char> rest)
    {
        var length = Encoding.UTF8.GetChars(utf8, buffer);
        rest = buffer[length..];
        return buffer[..length];
    }
}
