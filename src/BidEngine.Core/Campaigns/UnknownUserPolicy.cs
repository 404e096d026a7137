namespace BidEngine.Core.Campaigns;

/// <summary>What a frequency-capped campaign does with a request that names no user (no user.id, buyeruid or ifa).</summary>
public enum UnknownUserPolicy
{
    /// <summary>Bid: the cap cannot be counted for this user, so it does not apply.</summary>
    Bid,

    /// <summary>Do not bid: only users whose impressions can be counted see the campaign.</summary>
    Skip,
}
