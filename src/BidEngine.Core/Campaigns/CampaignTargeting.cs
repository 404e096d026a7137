namespace BidEngine.Core.Campaigns;

/// <summary>
/// Whom a campaign reaches (campaign file: <c>targeting</c>): the allow lists (the long-standing
/// <c>countries</c>, <c>deviceTypes</c>, <c>os</c> and the new ones), <c>block</c> lists of the same
/// fields plus deal ids, and the deals it may bid on. A campaign with deals bids only through them
/// (in private auctions and in open auctions that offer them); one without bids only in open auctions.
/// </summary>
public sealed record CampaignTargeting(TargetingLists Allow, TargetingLists Block, IReadOnlyList<string> BlockedDeals, IReadOnlyList<CampaignDeal> Deals)
{
    public static CampaignTargeting Any { get; } = new(TargetingLists.Empty, TargetingLists.Empty, [], []);
}
