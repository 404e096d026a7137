using BidEngine.Core.Candidates;
using BidEngine.Core.Deadlines;
using BidEngine.OpenRtb.Request;
using BidEngine.OpenRtb.Response;
using BidEngine.OpenRtb.Text;

namespace BidEngine.Core.Pipeline;

/// <summary>
/// Everything one request needs on its way through the pipeline, pooled and reused as a whole:
/// the parsed request, the answer being built and the candidate list.
/// </summary>
public sealed class BidContext : IResettable
{
    public BidRequest Request { get; } = new();

    public BidResponse Response { get; } = new();

    /// <summary>Candidates of the current request; capacity kept across requests.</summary>
    public List<Candidate> Candidates { get; } = new(64);

    public RequestDeadline Deadline { get; set; }

    public ScoringPath Path { get; set; }

    /// <summary>The time and user key the eligibility checks read, once per request.</summary>
    public Eligibility.GateRequest Gate { get; set; }

    /// <summary>The exchange the request came from (its own route); null on the bidder-wide <c>/openrtb2/bid</c>.</summary>
    public Exchanges.Exchange? Exchange { get; set; }

    /// <summary>The privacy step's decision, taken before anything else reads the request.</summary>
    public Privacy.PrivacyDecision Privacy { get; set; }

    /// <summary>The traffic step's decision (invalid traffic, supply chain), taken first.</summary>
    public Traffic.TrafficDecision Traffic { get; set; }

    public void Reset()
    {
        Request.Reset();
        Response.Reset();
        Candidates.Clear();
        Deadline = default;
        Path = ScoringPath.NoCandidates;
        Gate = default;
        Exchange = null;
        Privacy = default;
        Traffic = default;
    }
}
