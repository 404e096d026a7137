namespace BidEngine.Core.Notices;

/// <summary>What <see cref="NoticeToken.TryRead"/> made of a token.</summary>
public enum TokenCheck
{
    /// <summary>Well formed, signed by a key this bidder holds, for this kind of notice.</summary>
    Valid,

    /// <summary>Not base64url, too short or too long, an unknown layout, the wrong kind, or a signature that does not match.</summary>
    Bad,

    /// <summary>Signed with a key this bidder does not hold.</summary>
    UnknownKey,
}
