namespace BidEngine.Core.Notices;

/// <summary>
/// What became of one notice; counted in <c>bidengine_notices_total</c> (taken) and
/// <c>bidengine_notices_refused_total</c> (each refusal by its reason). Everything from
/// <see cref="BadToken"/> on changed nothing: no spend, no prior, no shading, no log record.
/// </summary>
public enum NoticeOutcome
{
    /// <summary>Verified and taken: a win counted, an impression billed, a loss released, a click counted.</summary>
    Recorded = 1,

    /// <summary>Verified, but no current campaign has the token's campaign id (removed since the bid): answered, not stored.</summary>
    UnknownCampaign,

    /// <summary>Verified, but the campaign has no creative in that bucket any more: answered, not stored.</summary>
    UnknownBucket,

    /// <summary>A parameter is missing or malformed (an unsubstituted price macro included): 400 naming it.</summary>
    Bad,

    /// <summary>A verified billing notice the ledger did not turn into spend (its reservation was released, or its campaign left the ledger): answered 204, counted and logged with its price, and not marked, so a retry is judged again.</summary>
    NotBilled,

    /// <summary>Refused (403): the token is not base64url, is cut or altered, is for another kind of notice, or its signature does not match.</summary>
    BadToken,

    /// <summary>Refused (403): signed with a key this bidder does not hold (neither the current nor the previous one).</summary>
    UnknownKey,

    /// <summary>Refused (403): the token is older than <c>Notices:TokenLifetimeSeconds</c>.</summary>
    Expired,

    /// <summary>Refused (503, retry later): the shared store (or the state journal) could not take it in time; nothing changed.</summary>
    StoreUnavailable,

    /// <summary>Refused (403): the clearing price is above the bid's own price; no auction clears above the bid.</summary>
    PriceAboveBid,

    /// <summary>Refused (answered 204, since exchanges retry): this notice was taken before; it counts once.</summary>
    Replayed,

    /// <summary>Refused (403): a click on an impression that was never billed.</summary>
    NoBilledImpression,

    /// <summary>Refused (403): contradicts an earlier notice of the bid (a loss after its win or billing, a win or billing after its loss).</summary>
    Conflict,

    /// <summary>Refused (503, retry later): the replay window has no room; it fails closed rather than forget a live entry.</summary>
    ReplayWindowFull,

    /// <summary>
    /// Refused (403): the exchange encrypts its prices and this one's signature does not match under its
    /// keys: made up, altered, or for another exchange's keys. Treated as a forged notice.
    /// </summary>
    BadPriceSignature,

    /// <summary>Refused (403): the token, signed by us, names an exchange this bidder has no profile for (a fleet whose bidders' profiles differ).</summary>
    UnknownExchange,
}
