namespace BidEngine.Core.Campaigns;

/// <summary>A creative together with the campaign it belongs to: one entry of the snapshot's indexes.</summary>
public readonly record struct CampaignCreative(Campaign Campaign, Creative Creative);
