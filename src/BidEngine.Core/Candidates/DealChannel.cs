namespace BidEngine.Core.Candidates;

/// <summary>A deal's channel number in <see cref="CampaignIndex"/>, with the deal id to confirm a hash match.</summary>
internal sealed record DealChannel(byte[] DealIdUtf8, int Channel);
