namespace BidEngine.Core.State;

/// <summary>What one record of the state journal says happened. Numbers are stored: never renumber.</summary>
public enum StateRecordKind : byte
{
    /// <summary>A process started: <see cref="StateRecord.Amount"/> is its bid-id epoch.</summary>
    Start = 1,

    /// <summary>A bid reserved <see cref="StateRecord.Amount"/> nanos of a campaign's budget.</summary>
    Reserve = 2,

    /// <summary>A billing notice settled a bid at <see cref="StateRecord.Amount"/> nanos.</summary>
    Settle = 3,

    /// <summary>A loss notice (or a bid that was never sent) freed a reservation.</summary>
    Release = 4,

    /// <summary>A bid's notice marks became <see cref="StateRecord.Amount"/>, kept until <see cref="StateRecord.Extra"/> (Unix seconds).</summary>
    Mark = 5,

    /// <summary>A mark (<see cref="StateRecord.Amount"/>) taken back.</summary>
    Unmark = 6,

    /// <summary>A billed impression for user <see cref="StateRecord.BidId"/> (as a key) and campaign key <see cref="StateRecord.Extra"/>, in a cap window of <see cref="StateRecord.Amount"/> seconds.</summary>
    CapCount = 7,

    /// <summary>An impression for the priors: campaign × bucket <see cref="StateRecord.Extra"/>.</summary>
    Impression = 8,

    /// <summary>A click for the priors: campaign × bucket <see cref="StateRecord.Extra"/>.</summary>
    Click = 9,

    /// <summary>A first-price win told to the shading: bid <see cref="StateRecord.A"/>, value <see cref="StateRecord.B"/>, minimum to win <see cref="StateRecord.C"/> (NaN: none).</summary>
    ShadingWin = 10,

    /// <summary>A first-price loss told to the shading: as <see cref="ShadingWin"/>, loss reason in <see cref="StateRecord.Extra"/>.</summary>
    ShadingLoss = 11,
}
