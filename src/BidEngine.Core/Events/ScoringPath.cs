namespace BidEngine.Core.Events;

/// <summary>How the pCTR of a bid was obtained.</summary>
public enum ScoringPath
{
    /// <summary>The CTR model scored the row.</summary>
    Model = 0,

    /// <summary>The deadline left no time for the model: the prior table (or the campaign's prior) was used.</summary>
    Heuristic = 1,
}
