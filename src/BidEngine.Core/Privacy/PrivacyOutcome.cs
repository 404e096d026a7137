namespace BidEngine.Core.Privacy;

/// <summary>The three outcomes of the privacy step, strongest first.</summary>
public enum PrivacyOutcome : byte
{
    /// <summary>No bid: there is no legal basis to show an ad at all.</summary>
    NoBid = 0,

    /// <summary>Bid without user data: no user ids, no frequency caps keyed by user, no user features, no precise geo.</summary>
    NoUserData = 1,

    /// <summary>Bid with user data; precise geolocation only when <see cref="PrivacyDecision.PreciseGeo"/>.</summary>
    Full = 2,
}
