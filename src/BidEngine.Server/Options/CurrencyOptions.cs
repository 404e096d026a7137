namespace BidEngine.Server.Options;

/// <summary>Exchange rates, bound from <c>BidEngine:Currency</c>: USD per unit of each currency the bidder deals in.</summary>
public sealed class CurrencyOptions
{
    public Dictionary<string, double> UsdPerUnit { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<string> Validate()
    {
        foreach (var (code, rate) in UsdPerUnit)
        {
            if (code.Length != 3 || !double.IsFinite(rate) || rate <= 0)
            {
                yield return $"BidEngine:Currency:UsdPerUnit:{code} must be a 3-letter ISO-4217 code with a positive rate";
            }
        }
    }
}
