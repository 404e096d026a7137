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
}
