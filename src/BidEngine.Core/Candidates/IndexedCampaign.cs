using BidEngine.Core.Campaigns;

namespace BidEngine.Core.Candidates;

/// <summary>A campaign with its rules, as the index is built from them.</summary>
public readonly record struct IndexedCampaign(Campaign Campaign, CampaignRules Rules);
