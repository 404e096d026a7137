namespace BidEngine.Core.Exchanges;

/// <summary>What became of an encrypted clearing price.</summary>
public enum PriceDecryptionResult
{
    /// <summary>Decoded, and its signature matched: the price is the exchange's.</summary>
    Decrypted,

    /// <summary>Not 38 characters of unpadded web-safe base64 (28 bytes): not an encrypted price at all.</summary>
    Malformed,

    /// <summary>Decoded, but the signature did not match: made up, altered, or encrypted under other keys.</summary>
    BadSignature,
}
