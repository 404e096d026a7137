namespace BidEngine.Core.Eligibility;

/// <summary>What the gate reads from a request once, for all its candidates: the time and the user key (0: none).</summary>
public readonly record struct GateRequest(DateTimeOffset Now, ulong User);
