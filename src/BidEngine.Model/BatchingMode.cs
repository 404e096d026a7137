namespace BidEngine.Model;

/// <summary>How rows of concurrent requests share model runs.</summary>
public enum BatchingMode
{
    /// <summary>Every request runs the model on its own rows, on its own thread.</summary>
    None,

    /// <summary>
    /// Group commit: while one caller runs the model, others queue; when the run ends, the first
    /// queued caller runs everything queued in one batch. No timer: nobody waits for company.
    /// </summary>
    GroupCommit,
}
