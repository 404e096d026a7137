namespace BidEngine.Core.Notices;

/// <summary>What became of one notice; counted in <c>bidengine_notices_total</c>.</summary>
public enum NoticeOutcome
{
    /// <summary>Counted toward its campaign × placement bucket.</summary>
    Recorded = 1,

    /// <summary>Well formed, but no current campaign has that id: answered, not stored.</summary>
    UnknownCampaign,

    /// <summary>The campaign exists but has no creative in that bucket: answered, not stored.</summary>
    UnknownBucket,

    /// <summary>A field is missing or malformed: refused with a 400 naming it.</summary>
    Bad,

    /// <summary>
    /// A well-formed billing notice the ledger did not turn into spend (a replay, a reservation it
    /// does not know or that was released, a price above the bid): answered 204, counted nowhere.
    /// </summary>
    NotBilled,
}
