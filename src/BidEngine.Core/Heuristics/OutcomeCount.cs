namespace BidEngine.Core.Heuristics;

/// <summary>Impressions and clicks observed for one campaign × <see cref="PlacementBucket"/> key.</summary>
public readonly record struct OutcomeCount(string CampaignId, long Bucket, long Impressions, long Clicks);
