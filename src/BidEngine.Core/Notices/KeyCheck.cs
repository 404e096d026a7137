namespace BidEngine.Core.Notices;

/// <summary>What <see cref="NoticeSigner.Verify"/> made of a token's signature.</summary>
public enum KeyCheck
{
    /// <summary>Signed with the current or the previous key.</summary>
    Valid,

    /// <summary>The token names a key this bidder does not hold (retired, or another fleet's).</summary>
    UnknownKey,

    /// <summary>The key is known but the signature does not match: forged or altered.</summary>
    BadSignature,
}
