namespace BidEngine.Core.Exchanges;

/// <summary>
/// Decrypts clearing prices sent the way Google's exchange sends them (its "decrypt price
/// confirmations" guide): the <c>${AUCTION_PRICE}</c> macro becomes 38 characters of unpadded
/// web-safe base64 holding 28 bytes, an initialisation vector (16), the price XOR a pad (8) and a
/// signature (4), where
/// <c>pad = HMAC-SHA1(encryption key, iv)[0..8]</c>, the price is a big-endian 64-bit count of
/// micros of the bid's currency, and <c>signature = HMAC-SHA1(integrity key, price ‖ iv)[0..4]</c>.
/// The signature is what makes the price trustworthy: without it anyone could flip bits of the
/// ciphertext and move the price. Both keys are 32 bytes, given to each buyer by the exchange.
/// Every call works on the stack: nothing is allocated, the keys are never copied out.
/// </summary>
public sealed class EncryptedPriceKeys
{
    /// <summary>Length of the macro's expansion: 28 bytes in unpadded base64.</summary>
    public const int EncodedLength = 38;

    /// <summary>Length of each key, in bytes, as the exchange hands them out.</summary>
    public const int KeyBytes = 32;

    private const int IvLength = 16;
    private const int PriceLength = 8;
    private const int SignatureLength = 4;
    private const int CipherLength = IvLength + PriceLength + SignatureLength;

    private readonly byte[] _encryptionKey;
    private readonly byte[] _integrityKey;

    public EncryptedPriceKeys(ReadOnlySpan<byte> encryptionKey, ReadOnlySpan<byte> integrityKey)
    {
        if (encryptionKey.IsEmpty || integrityKey.IsEmpty)
        {
            throw new ArgumentException("both the encryption key and the integrity key are needed");
        }

        _encryptionKey = encryptionKey.ToArray();
        _integrityKey = integrityKey.ToArray();
    }

    /// <summary>
    /// Keys as the exchange hands them out: web-safe base64, padded or not (standard base64 is taken too).
    /// Throws <see cref="FormatException"/> naming which key is not base64; the message never holds the key.
    /// </summary>
    public static EncryptedPriceKeys FromBase64(string encryptionKey, string integrityKey) =>
        new(DecodeKey(encryptionKey, "encryption"), DecodeKey(integrityKey, "integrity"));

    /// <summary>How many bytes <paramref name="key"/> decodes to (web-safe or standard base64, padded or not); -1 when it is not base64.</summary>
    public static int DecodedKeyLength(string key)
    {
        try
        {
            return DecodeKey(key, "").Length;
        }
        catch (FormatException)
        {
            return -1;
        }
    }

    /// <summary>
    /// Whether <paramref name="text"/> has the shape of an encrypted price (38 characters of the web-safe
    /// base64 alphabet): says nothing of its signature. For telling it apart from a plain number.
    /// </summary>
    public static bool LooksEncrypted(ReadOnlySpan<char> text)
    {
        if (text.Length != EncodedLength)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Decrypts <paramref name="encoded"/> (the macro's expansion as characters of a URL's query) into micros.</summary>
    public PriceDecryptionResult TryDecrypt(ReadOnlySpan<char> encoded, out long micros)
    {
        micros = 0;
        if (encoded.Length != EncodedLength)
        {
            return PriceDecryptionResult.Malformed;
        }

        Span<byte> ascii = stackalloc byte[EncodedLength];
        for (var i = 0; i < EncodedLength; i++)
        {
            if (encoded[i] > 0x7F)
            {
                return PriceDecryptionResult.Malformed;
            }

            ascii[i] = (byte)encoded[i];
        }

        return TryDecrypt(ascii, out micros);
    }

    /// <summary>Decrypts <paramref name="encoded"/> (the macro's expansion, as ASCII bytes from a URL) into micros.</summary>
    public PriceDecryptionResult TryDecrypt(ReadOnlySpan<byte> encoded, out long micros)
    {
        micros = 0;
        Span<byte> cipher = stackalloc byte[CipherLength];
        if (encoded.Length != EncodedLength || !TryDecodeWebSafe(encoded, cipher))
        {
            return PriceDecryptionResult.Malformed;
        }

        var iv = cipher[..IvLength];
        Span<byte> mac = stackalloc byte[20];
        System.Security.Cryptography.HMACSHA1.HashData(_encryptionKey, iv, mac);
        Span<byte> signed = stackalloc byte[PriceLength + IvLength];
        var price = signed[..PriceLength];
        for (var i = 0; i < PriceLength; i++)
        {
            price[i] = (byte)(cipher[IvLength + i] ^ mac[i]);
        }

        iv.CopyTo(signed[PriceLength..]);
        System.Security.Cryptography.HMACSHA1.HashData(_integrityKey, signed, mac);
        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(mac[..SignatureLength], cipher[(IvLength + PriceLength)..]))
        {
            return PriceDecryptionResult.BadSignature;
        }

        var value = System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(price);
        if (value < 0)
        {
            // Signed by the keys, yet not a price: counted as malformed rather than as a negative spend.
            return PriceDecryptionResult.Malformed;
        }

        micros = value;
        return PriceDecryptionResult.Decrypted;
    }

    /// <summary>
    /// Encrypts <paramref name="micros"/> under these keys with <paramref name="iv"/> (16 bytes), writing the
    /// 38 ASCII characters to <paramref name="destination"/>: what the exchange does. For tests and the simulator.
    /// </summary>
    public void Encrypt(long micros, ReadOnlySpan<byte> iv, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(micros);
        if (iv.Length != IvLength || destination.Length < EncodedLength)
        {
            throw new ArgumentException($"the iv is {IvLength} bytes and the destination holds {EncodedLength}");
        }

        Span<byte> cipher = stackalloc byte[CipherLength];
        iv.CopyTo(cipher);
        Span<byte> signed = stackalloc byte[PriceLength + IvLength];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(signed, micros);
        iv.CopyTo(signed[PriceLength..]);
        Span<byte> mac = stackalloc byte[20];
        System.Security.Cryptography.HMACSHA1.HashData(_encryptionKey, iv, mac);
        for (var i = 0; i < PriceLength; i++)
        {
            cipher[IvLength + i] = (byte)(signed[i] ^ mac[i]);
        }

        System.Security.Cryptography.HMACSHA1.HashData(_integrityKey, signed, mac);
        mac[..SignatureLength].CopyTo(cipher[(IvLength + PriceLength)..]);
        System.Buffers.Text.Base64Url.EncodeToUtf8(cipher, destination);
    }

    // The OperationStatus overload: TryDecodeFromUtf8 throws on a character outside the alphabet.
    private static bool TryDecodeWebSafe(ReadOnlySpan<byte> encoded, Span<byte> cipher) =>
        System.Buffers.Text.Base64Url.DecodeFromUtf8(encoded, cipher, out var consumed, out var written) == System.Buffers.OperationStatus.Done
        && consumed == encoded.Length && written == CipherLength;

    private static byte[] DecodeKey(string key, string which)
    {
        ArgumentNullException.ThrowIfNull(key);
        var normal = key.Trim().Replace('-', '+').Replace('_', '/');
        normal = normal.PadRight(normal.Length + ((4 - (normal.Length % 4)) % 4), '=');
        try
        {
            var bytes = Convert.FromBase64String(normal);
            return bytes.Length > 0 ? bytes : throw new FormatException($"the {which} key is empty");
        }
        catch (FormatException)
        {
            throw new FormatException($"the {which} key is not base64");
        }
    }
}
