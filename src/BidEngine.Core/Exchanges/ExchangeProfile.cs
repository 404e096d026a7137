using System.Text.RegularExpressions;

namespace BidEngine.Core.Exchanges;

/// <summary>
/// One exchange's dialect and limits, bound from <c>BidEngine:Exchanges:{name}</c>. Requests reach it
/// at <c>/openrtb2/{name}/bid</c>; a setting left empty falls back to the bidder-wide one.
/// </summary>
public sealed partial class ExchangeProfile
{
    /// <summary>Longest response any profile may cap at: over it the cap says nothing.</summary>
    public const int MaxResponseCapBytes = 1 << 20;

    /// <summary>The seat id written in bids for this exchange; empty: each campaign's own seat.</summary>
    public string Seat { get; set; } = "";

    /// <summary>tmax assumed when the exchange's request has none; 0: the bidder's <c>Deadline:DefaultTmaxMs</c>.</summary>
    public int DefaultTmaxMs { get; set; }

    /// <summary>Longest window planned with for this exchange; 0: the bidder's <c>Deadline:MaxTmaxMs</c>.</summary>
    public int MaxTmaxMs { get; set; }

    /// <summary>Kept back from tmax for the network to and from this exchange; -1: the bidder's <c>Deadline:NetworkReserveMs</c>.</summary>
    public int NetworkReserveMs { get; set; } = -1;

    /// <summary>The currency to bid in when the request allows several (ISO 4217); empty: the bidder's default.</summary>
    public string Currency { get; set; } = "";

    /// <summary>Largest answer the exchange accepts, in bytes (some cap at 4 KiB); bids that would pass it are dropped, lowest price first. 0: no cap.</summary>
    public int MaxResponseBytes { get; set; }

    /// <summary>Answer with gzip when the exchange asks for it (<c>Accept-Encoding</c>); false: always plain.</summary>
    public bool Gzip { get; set; } = true;

    /// <summary>Which notice bills: <see cref="BillingUrl.Burl"/> (OpenRTB's billing notice) or <see cref="BillingUrl.Nurl"/> (the win notice is the billable event).</summary>
    public BillingUrl BillOn { get; set; } = BillingUrl.Burl;

    /// <summary>What the exchange puts in place of <c>${AUCTION_PRICE}</c>: a plain CPM, or a price encrypted under <see cref="PriceKeys"/>.</summary>
    public PriceEncoding PriceMacro { get; set; } = PriceEncoding.Plain;

    /// <summary>The exchange's price keys; required when <see cref="PriceMacro"/> is <see cref="PriceEncoding.Encrypted"/>, and only then.</summary>
    public PriceKeyOptions PriceKeys { get; set; } = new();

    /// <summary>Switched off by hand: every request gets a cheap no-bid (live: edit the settings file).</summary>
    public bool Disabled { get; set; }

    /// <summary>When this exchange's kill switch trips and how it recovers.</summary>
    public ExchangeHealthOptions Health { get; set; } = new();

    /// <summary>
    /// The exchange's own domain (its advertising system in ads.txt and the name of its sellers.json file),
    /// for the supply checks of requests without a supply chain; empty: unknown.
    /// </summary>
    public string Domain { get; set; } = "";

    /// <summary>This exchange's supply-chain policy in place of the bidder's <c>Supply:Policy</c>; null (absent): the bidder's.</summary>
    public Supply.SupplyChainPolicy? SupplyChain { get; set; }

    /// <summary>Names go into paths and metric labels: short, lower case, letters, digits and dashes.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>Problems with this profile, each naming its setting; never the value of a key.</summary>
    public IEnumerable<string> Validate(string name)
    {
        var prefix = $"BidEngine:Exchanges:{name}";
        if (!IsValidName(name))
        {
            yield return $"{prefix}: an exchange name is 1 to 32 lower-case letters, digits or dashes (it is part of the path /openrtb2/{{name}}/bid)";
        }

        if (Seat.Length > 64)
        {
            yield return $"{prefix}:Seat must be at most 64 characters";
        }

        if (DefaultTmaxMs is < 0 or > 10_000)
        {
            yield return $"{prefix}:DefaultTmaxMs must be between 0 (the bidder's) and 10000";
        }

        if (MaxTmaxMs is < 0 or > 10_000)
        {
            yield return $"{prefix}:MaxTmaxMs must be between 0 (the bidder's) and 10000";
        }

        if (DefaultTmaxMs > 0 && MaxTmaxMs > 0 && DefaultTmaxMs > MaxTmaxMs)
        {
            yield return $"{prefix}:DefaultTmaxMs must not be above {prefix}:MaxTmaxMs";
        }

        if (NetworkReserveMs is < -1 or > 1000)
        {
            yield return $"{prefix}:NetworkReserveMs must be between -1 (the bidder's) and 1000";
        }

        if (NetworkReserveMs >= 0 && DefaultTmaxMs > 0 && NetworkReserveMs >= DefaultTmaxMs)
        {
            yield return $"{prefix}:NetworkReserveMs must be below {prefix}:DefaultTmaxMs";
        }

        if (Currency.Length != 0 && !CurrencyPattern().IsMatch(Currency))
        {
            yield return $"{prefix}:Currency must be empty or a three-letter ISO 4217 code";
        }

        if (MaxResponseBytes != 0 && MaxResponseBytes is < 512 or > MaxResponseCapBytes)
        {
            yield return $"{prefix}:MaxResponseBytes must be 0 (no cap) or between 512 and {MaxResponseCapBytes}";
        }

        if (!Enum.IsDefined(BillOn))
        {
            yield return $"{prefix}:BillOn must be Burl (the billing notice bills) or Nurl (the win notice bills)";
        }

        if (!Enum.IsDefined(PriceMacro))
        {
            yield return $"{prefix}:PriceMacro must be Plain or Encrypted";
        }
        else if (PriceMacro == PriceEncoding.Encrypted)
        {
            foreach (var error in PriceKeys.Validate(prefix + ":PriceKeys"))
            {
                yield return error;
            }
        }
        else if (PriceKeys.AnySet)
        {
            // Keys without encryption are a half-done setup: every encrypted price would then be refused as malformed.
            yield return $"{prefix}:PriceKeys are set but {prefix}:PriceMacro is Plain: set PriceMacro to Encrypted, or remove the keys";
        }

        foreach (var error in Health.Validate(prefix + ":Health"))
        {
            yield return error;
        }

        if (Domain.Length != 0 && !DomainPattern().IsMatch(Domain))
        {
            yield return $"{prefix}:Domain must be empty or a domain name such as exchange.example (found '{Domain}')";
        }

        foreach (var error in SupplyChain?.Validate(prefix + ":SupplyChain") ?? [])
        {
            yield return error;
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")]
    private static partial Regex DomainPattern();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();
}
