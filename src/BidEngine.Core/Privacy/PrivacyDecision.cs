namespace BidEngine.Core.Privacy;

/// <summary>
/// The privacy step's answer for one request, computed once before candidates, features, caps and
/// the log: may it bid, may it use user data, may it use precise geolocation, and why not.
/// </summary>
public readonly record struct PrivacyDecision(PrivacyOutcome Outcome, bool PreciseGeo, PrivacyReason Reason)
{
    /// <summary>No signal limited the request.</summary>
    public static PrivacyDecision Unrestricted => new(PrivacyOutcome.Full, true, PrivacyReason.None);

    public bool MayBid => Outcome != PrivacyOutcome.NoBid;

    public bool Personalise => Outcome == PrivacyOutcome.Full;

    /// <summary>
    /// OpenRTB <c>nbr</c> for a no-bid the privacy step decided: list 5.24 has no consent code, so
    /// one from the exchange-specific range (500+); 0 when the step allowed a bid.
    /// </summary>
    public int NoBidReasonCode => MayBid ? 0 : ConsentNoBidReason;

    /// <summary>The <c>nbr</c> sent when a no-bid is due to consent (OpenRTB list 5.24 leaves 500+ to the parties).</summary>
    public const int ConsentNoBidReason = 501;
}
