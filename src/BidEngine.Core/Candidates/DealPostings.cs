namespace BidEngine.Core.Candidates;

/// <summary>The entries of campaigns that bid through one deal, with the deal id to confirm a hash match.</summary>
internal sealed record DealPostings(byte[] DealIdUtf8, int[] Entries);
