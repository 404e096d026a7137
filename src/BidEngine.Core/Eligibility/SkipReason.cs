namespace BidEngine.Core.Eligibility;

/// <summary>Why an entry the index found was not made a candidate; counted in <c>bidengine_candidates_skipped_total</c>.</summary>
public enum SkipReason
{
    /// <summary>Outside its flight dates.</summary>
    Flight,

    /// <summary>Outside its hours of the week in its time zone.</summary>
    Daypart,

    /// <summary>The user has had the campaign's cap of billed impressions in the window (or names no user and the campaign skips those).</summary>
    FrequencyCap,

    /// <summary>Total or today's budget taken by spend plus outstanding reservations.</summary>
    Budget,

    /// <summary>Even pacing left this request out.</summary>
    Pacing,

    /// <summary>The request's supply chain does not meet the campaign's own <c>supplyChain</c> policy.</summary>
    SupplyChain,
}
