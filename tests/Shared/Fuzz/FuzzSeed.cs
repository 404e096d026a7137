namespace BidEngine.Tests.Shared.Fuzz;

/// <summary>A body the mutations start from, and where it came from (for the failure message).</summary>
internal sealed record FuzzSeed(string Name, byte[] Body);
