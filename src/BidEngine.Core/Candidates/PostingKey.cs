namespace BidEngine.Core.Candidates;

/// <summary>
/// One posting list of <see cref="CampaignIndex"/>: a slot, a channel (0: the open auction, otherwise a
/// deal's number), and a country key and device type, each 0 for "any".
/// </summary>
internal readonly record struct PostingKey(long Slot, int Channel, int Country, int Device);
