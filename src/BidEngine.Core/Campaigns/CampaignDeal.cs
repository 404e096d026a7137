namespace BidEngine.Core.Campaigns;

/// <summary>
/// A deal a campaign may bid on (campaign file: <c>targeting.deals[]</c>): its id, the floor agreed
/// for it (CPM in the campaign's currency; the bid never goes below it) and the seats it is for
/// (<c>wseat</c>; empty: any of ours). Bids through a deal carry its id as <c>dealid</c>.
/// </summary>
public sealed record CampaignDeal(string Id, decimal? BidFloor, IReadOnlyList<string> Wseat);
