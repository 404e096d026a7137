using System.Text;
using BidEngine.Core.Exchanges;

namespace BidEngine.Core.Tests.Exchanges;

/// <summary>
/// The example keys and encrypted prices published in Google's "decrypt price confirmations" guide
/// (https://developers.google.com/authorized-buyers/rtb/response-guide/decrypt-price): each must
/// decrypt to the micros the guide gives, and any change to it must be refused.
/// </summary>
public sealed class EncryptedPriceKeysTests
{
    private const string EncryptionKey = "skU7Ax_NL5pPAFyKdkfZjZz2-VhIN8bjj1rVFOaJ_5o=";
    private const string IntegrityKey = "arO23ykdNqUQ5LEoQ0FVmPkBd7xB5CO89PDZlSjpFxo=";

    private static readonly EncryptedPriceKeys Keys = EncryptedPriceKeys.FromBase64(EncryptionKey, IntegrityKey);

    [Theory]
    [InlineData("YWJjMTIzZGVmNDU2Z2hpN7fhCuPemCce_6msaw", 100)]
    [InlineData("YWJjMTIzZGVmNDU2Z2hpN7fhCuPemCAWJRxOgA", 1900)]
    [InlineData("YWJjMTIzZGVmNDU2Z2hpN7fhCuPemC32prpWWw", 2700)]
    public void DecryptsThePublishedExamples(string encoded, long expectedMicros)
    {
        Assert.Equal(PriceDecryptionResult.Decrypted, Keys.TryDecrypt(Encoding.ASCII.GetBytes(encoded), out var micros));
        Assert.Equal(expectedMicros, micros);
    }

    [Fact]
    public void EncryptsThePublishedExampleFromItsInitialisationVector()
    {
        var iv = Encoding.ASCII.GetBytes("abc123def456ghi7");
        var written = new byte[EncryptedPriceKeys.EncodedLength];
        Keys.Encrypt(1900, iv, written);
        Assert.Equal("YWJjMTIzZGVmNDU2Z2hpN7fhCuPemCAWJRxOgA", Encoding.ASCII.GetString(written));
    }

    [Fact]
    public void RefusesEveryOneCharacterChange()
    {
        var original = Encoding.ASCII.GetBytes("YWJjMTIzZGVmNDU2Z2hpN7fhCuPemCAWJRxOgA");
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var accepted = 0;
        for (var position = 0; position < original.Length; position++)
        {
            foreach (var replacement in alphabet)
            {
                if (original[position] == replacement)
                {
                    continue;
                }

                var altered = (byte[])original.Clone();
                altered[position] = (byte)replacement;
                if (Keys.TryDecrypt(altered, out _) == PriceDecryptionResult.Decrypted)
                {
                    accepted++;
                }
            }
        }

        // The last character carries 2 unused bits (28 bytes in 38 characters): those changes decode to the
        // same bytes and so are the same price, not a different one. Everything else must fail.
        Assert.True(accepted <= 3, $"{accepted} altered prices were accepted");
    }

    [Fact]
    public void RefusesPricesEncryptedUnderOtherKeys()
    {
        var other = EncryptedPriceKeys.FromBase64(IntegrityKey, EncryptionKey);
        Assert.Equal(PriceDecryptionResult.BadSignature, other.TryDecrypt(Encoding.ASCII.GetBytes("YWJjMTIzZGVmNDU2Z2hpN7fhCuPemCce_6msaw"), out var micros));
        Assert.Equal(0, micros);
    }

    [Theory]
    [InlineData("")]
    [InlineData("${AUCTION_PRICE}")]
    [InlineData("1.25")]
    [InlineData("YWJjMTIzZGVmNDU2Z2hpN7fhCuPemCce_6msa")]
    [InlineData("YWJjMTIzZGVmNDU2Z2hpN7fhCuPemCce_6msaww")]
    [InlineData("YWJjMTIzZGVmNDU2Z2hpN7fhCuPemCce+6msaw")]
    [InlineData("YWJjMTIzZGVmNDU2Z2hpN7fhCuPemCce_6ms!w")]
    public void CallsWhatIsNotAnEncryptedPriceMalformed(string encoded) =>
        Assert.Equal(PriceDecryptionResult.Malformed, Keys.TryDecrypt(Encoding.ASCII.GetBytes(encoded), out _));

    [Fact]
    public void RoundTripsAnyPrice()
    {
        var random = new Random(7);
        var iv = new byte[16];
        var written = new byte[EncryptedPriceKeys.EncodedLength];
        for (var i = 0; i < 1000; i++)
        {
            random.NextBytes(iv);
            var micros = random.NextInt64(0, 1_000_000_000_000);
            Keys.Encrypt(micros, iv, written);
            Assert.Equal(PriceDecryptionResult.Decrypted, Keys.TryDecrypt(written, out var back));
            Assert.Equal(micros, back);
        }
    }

    [Fact]
    public void DecryptsWithoutAllocating()
    {
        var encoded = Encoding.ASCII.GetBytes("YWJjMTIzZGVmNDU2Z2hpN7fhCuPemC32prpWWw");
        Keys.TryDecrypt(encoded, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Keys.TryDecrypt(encoded, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void NamesTheKeyThatIsNotBase64WithoutShowingIt()
    {
        var error = Assert.Throws<FormatException>(() => EncryptedPriceKeys.FromBase64("not*base64!", IntegrityKey));
        Assert.Contains("encryption key", error.Message);
        Assert.DoesNotContain("not*base64", error.Message);
    }
}
