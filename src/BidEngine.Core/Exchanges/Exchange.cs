using System.Text;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Time;

namespace BidEngine.Core.Exchanges;

/// <summary>
/// One exchange the bidder serves, made once at start from its <see cref="ExchangeProfile"/>: its
/// name, the bidder-wide settings it falls back to already resolved, its price keys and its health.
/// The request path reads it without lookups (each exchange has its own route).
/// </summary>
public sealed class Exchange
{
    public Exchange(string name, ExchangeProfile profile, DeadlineOptions deadlines, IClock clock)
    {
        Name = name;
        Profile = profile;
        NameUtf8 = Encoding.UTF8.GetBytes(name);
        SeatUtf8 = profile.Seat.Length == 0 ? null : Encoding.UTF8.GetBytes(profile.Seat);
        CurrencyUtf8 = profile.Currency.Length == 0 ? null : Encoding.ASCII.GetBytes(profile.Currency);
        DefaultTmaxMs = profile.DefaultTmaxMs > 0 ? profile.DefaultTmaxMs : deadlines.DefaultTmaxMs;
        MaxTmaxMs = profile.MaxTmaxMs > 0 ? profile.MaxTmaxMs : deadlines.MaxTmaxMs;
        NetworkReserveMs = profile.NetworkReserveMs >= 0 ? profile.NetworkReserveMs : deadlines.NetworkReserveMs;
        BillOn = profile.BillOn;
        PriceKeys = profile.PriceMacro == PriceEncoding.Encrypted
            ? EncryptedPriceKeys.FromBase64(profile.PriceKeys.EncryptionKey, profile.PriceKeys.IntegrityKey)
            : null;
        DomainUtf8 = Supply.SupplyChecks.DomainBytes(profile.Domain);
        Health = new ExchangeHealth(name, profile.Health, clock);
        if (profile.Disabled)
        {
            Health.Disable();
        }
    }

    /// <summary>The name in its path (<c>/openrtb2/{name}/bid</c>) and in metric labels.</summary>
    public string Name { get; }

    public ExchangeProfile Profile { get; }

    public byte[] NameUtf8 { get; }

    /// <summary>The exchange's domain in lower case, as the supply checks compare it; empty when its profile names none.</summary>
    public byte[] DomainUtf8 { get; }

    /// <summary>The seat written in bids for this exchange; null: each campaign's own.</summary>
    public byte[]? SeatUtf8 { get; }

    /// <summary>The currency to prefer among the request's; null: the bidder's default.</summary>
    public byte[]? CurrencyUtf8 { get; }

    public int DefaultTmaxMs { get; }

    public int MaxTmaxMs { get; }

    public int NetworkReserveMs { get; }

    public ExchangeHealth Health { get; }

    /// <summary>Which of the bid's notices bills.</summary>
    public BillingUrl BillOn { get; }

    /// <summary>The keys its clearing prices are decrypted with; null: its prices are plain.</summary>
    public EncryptedPriceKeys? PriceKeys { get; }

    /// <summary>The auction window the exchange itself gives a request: its tmax, or this exchange's default when it sent none.</summary>
    public int WindowMs(int tmaxMs) => tmaxMs > 0 ? tmaxMs : DefaultTmaxMs;
}
