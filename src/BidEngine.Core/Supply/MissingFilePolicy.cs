namespace BidEngine.Core.Supply;

/// <summary>What a supply check does when the file it would read is not in the operator's folder.</summary>
public enum MissingFilePolicy : byte
{
    /// <summary>Nothing to check against: bid.</summary>
    Bid = 0,

    /// <summary>Unverified supply: no bid.</summary>
    NoBid = 1,
}
