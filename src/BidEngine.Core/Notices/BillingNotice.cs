using BidEngine.Core.Campaigns;

namespace BidEngine.Core.Notices;

/// <summary>
/// A billing notice after its token has been verified: everything the ledger and the frequency cap
/// need, and nothing of how it arrived. <see cref="OutcomeNotices"/> makes it from the signed token
/// (<see cref="NoticeToken"/>) and the clearing price, and <see cref="Budgets.BillingBook"/> takes it.
/// </summary>
/// <param name="Campaign">The campaign of the bid (the current snapshot's object, never the caller's text).</param>
/// <param name="BidId">The bid's id: its reservation in the ledger.</param>
/// <param name="User">The user key of the bid's request (0: none), for the frequency cap.</param>
/// <param name="Bucket">The placement bucket key, for the prior CTRs.</param>
/// <param name="ClearingNanos">The clearing price of the impression in nanos of the campaign's currency.</param>
/// <param name="PriceCpm">The clearing price as the exchange sent it: CPM in the bid's currency.</param>
public readonly record struct BillingNotice(Campaign Campaign, long BidId, ulong User, long Bucket, long ClearingNanos, double PriceCpm);
