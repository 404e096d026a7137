namespace BidEngine.Server.Tests.Docs;

/// <summary>What the bidder answered one <c>curl</c> of a doc example, with its addresses written back as the doc's.</summary>
internal sealed record CurlAnswer(string StatusLine, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body);
