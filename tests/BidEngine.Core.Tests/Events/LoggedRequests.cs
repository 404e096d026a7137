using BidEngine.Core.Campaigns;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Events;
using BidEngine.Core.Pipeline;
using BidEngine.Core.Pricing;
using BidEngine.OpenRtb.Parsing;

namespace BidEngine.Core.Tests.Events;

/// <summary>Real decisions to log: the sample campaigns and the pipeline's heuristic path on a corpus request.</summary>
internal sealed class LoggedRequests
{
    private readonly BidPipeline _pipeline;
    private readonly byte[] _body;

    public LoggedRequests(string corpusRequest = "app-banner-phone-usa-2.6.json")
    {
        var snapshot = TestCampaigns.Snapshot([.. TestCampaigns.Samples()]);
        _pipeline = new BidPipeline(() => snapshot, scorer: null, new PricingOptions(), new PipelineOptions(), new DeadlinePolicy(new DeadlineOptions()));
        _body = Corpus.Read("requests", corpusRequest);
    }

    public BidContext Context { get; } = new();

    /// <summary>Parses and decides the request again (with <paramref name="requestId"/> in place of its id when given).</summary>
    public BidContext Decide(string? requestId = null)
    {
        Context.Reset();
        var body = requestId is null ? _body : WithId(requestId);
        if (!BidRequestParser.Parse(body, Context.Request).IsSuccess)
        {
            throw new InvalidOperationException("The request did not parse.");
        }

        Context.Deadline = RequestDeadline.None;
        var decided = _pipeline.DecideAsync(Context);
        if (!decided.IsCompletedSuccessfully || !Context.Response.HasBids)
        {
            throw new InvalidOperationException($"Expected a bid, got {Context.Path}.");
        }

        return Context;
    }

    public static EventLogOptions Options(string folder) => new() { Folder = folder, FlushIntervalMs = 10 };

    private byte[] WithId(string id)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(_body)!;
        json["id"] = id;
        return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
    }
}
