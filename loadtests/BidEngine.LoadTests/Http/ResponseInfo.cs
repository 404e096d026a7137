namespace BidEngine.LoadTests.Http;

/// <summary>What the runner keeps of an answer: its status and the bidder's x-bidengine-path header.</summary>
public readonly record struct ResponseInfo(int Status, PathTag Path);
