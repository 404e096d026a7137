namespace BidEngine.Core.Privacy;

/// <summary>The US opt-outs a GPP section or a US Privacy string carries, as the bidder honours them.</summary>
[Flags]
public enum UsOptOuts : byte
{
    None = 0,

    /// <summary>Opted out of the sale of personal data.</summary>
    Sale = 1,

    /// <summary>Opted out of sharing (California: cross-context behavioural advertising).</summary>
    Sharing = 2,

    /// <summary>Opted out of targeted advertising.</summary>
    TargetedAdvertising = 4,
}
