namespace BidEngine.Core.Pipeline;

/// <summary>How a request's answer was decided; counted in metrics as <c>bidengine_scoring_path_total</c>.</summary>
public enum ScoringPath
{
    /// <summary>Nothing to score: no campaign could bid on any imp.</summary>
    NoCandidates = 0,

    /// <summary>The CTR model scored the candidates.</summary>
    Model,

    /// <summary>The model did not fit the time left; prior CTRs were used.</summary>
    Heuristic,

    /// <summary>Not even the heuristic fitted: answered no-bid at once.</summary>
    None,
}
