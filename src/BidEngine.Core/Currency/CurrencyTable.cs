using System.Text;

namespace BidEngine.Core.Currency;

/// <summary>
/// Exchange rates into the bidder's own currency (USD): how many USD one unit is worth. Campaign
/// values are in USD; floors are converted into USD and prices out of it. A currency missing from
/// the table is one the bidder does not deal in.
/// </summary>
public sealed class CurrencyTable
{
    public const string BaseCurrency = "USD";

    private readonly byte[][] _codes;
    private readonly double[] _usdPerUnit;

    public CurrencyTable(IReadOnlyDictionary<string, double> usdPerUnit)
    {
        var rates = new Dictionary<string, double>(usdPerUnit, StringComparer.OrdinalIgnoreCase)
        {
            [BaseCurrency] = 1.0,
        };
        foreach (var (code, rate) in rates)
        {
            if (code.Length != 3 || !double.IsFinite(rate) || rate <= 0)
            {
                throw new ArgumentException($"currency rate '{code}' = {rate}: codes are ISO-4217 (3 letters), rates positive", nameof(usdPerUnit));
            }
        }

        // USD first: it is the answer whenever the request allows it.
        var ordered = rates.OrderBy(r => r.Key.Equals(BaseCurrency, StringComparison.OrdinalIgnoreCase) ? 0 : 1).ToArray();
        _codes = ordered.Select(r => Encoding.ASCII.GetBytes(r.Key.ToUpperInvariant())).ToArray();
        _usdPerUnit = ordered.Select(r => r.Value).ToArray();
    }

    public static CurrencyTable UsdOnly { get; } = new(new Dictionary<string, double>());

    public int Count => _codes.Length;

    public byte[] Code(int index) => _codes[index];

    public double UsdPerUnit(int index) => _usdPerUnit[index];

    /// <summary>Finds a currency by its code as the request spells it (any case); -1 when unknown.</summary>
    public int IndexOf(ReadOnlySpan<byte> code)
    {
        if (code.Length != 3)
        {
            return -1;
        }

        for (var i = 0; i < _codes.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(code, _codes[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Converts an amount in the currency at <paramref name="index"/> into USD.</summary>
    public double ToUsd(double amount, int index) => amount * _usdPerUnit[index];

    /// <summary>Converts an amount in USD into the currency at <paramref name="index"/>.</summary>
    public double FromUsd(double usd, int index) => usd / _usdPerUnit[index];
}
