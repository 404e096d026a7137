namespace BidEngine.Core.Exchanges;

/// <summary>
/// An exchange's two price keys (<c>BidEngine:Exchanges:{name}:PriceKeys</c>), as the exchange hands
/// them out: web-safe base64 of 32 bytes each (padded or not; standard base64 is taken too).
/// Secrets: never logged, never printed in an error.
/// </summary>
public sealed class PriceKeyOptions
{
    /// <summary>Makes the pad the price is XORed with.</summary>
    public string EncryptionKey { get; set; } = "";

    /// <summary>Signs the price: a price whose signature does not match is refused like a forged notice.</summary>
    public string IntegrityKey { get; set; } = "";

    /// <summary>Whether either key is set.</summary>
    public bool AnySet => !string.IsNullOrWhiteSpace(EncryptionKey) || !string.IsNullOrWhiteSpace(IntegrityKey);

    /// <summary>Problems with the keys, each naming its setting; never a key's value.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        foreach (var (name, value) in new[] { (nameof(EncryptionKey), EncryptionKey), (nameof(IntegrityKey), IntegrityKey) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                yield return $"{prefix}:{name} is required: the {EncryptedPriceKeys.KeyBytes}-byte key the exchange gave, in web-safe base64";
                continue;
            }

            var length = EncryptedPriceKeys.DecodedKeyLength(value);
            if (length < 0)
            {
                yield return $"{prefix}:{name} is not base64 (web-safe or standard)";
            }
            else if (length != EncryptedPriceKeys.KeyBytes)
            {
                yield return $"{prefix}:{name} must decode to {EncryptedPriceKeys.KeyBytes} bytes; it decodes to {length}";
            }
        }
    }
}
